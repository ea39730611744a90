"""Background jobs: the result comes back on the GUI thread, only the latest one's."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.ui.widgets.busy import BackgroundJob


def _square(x: int, should_stop: object) -> int:
    return x * x


def _fail(should_stop: object) -> int:
    raise ValueError("no")


def test_result_and_error_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    job = BackgroundJob(owner)
    threads: list[threading.Thread] = []
    job.done.connect(lambda _: threads.append(threading.current_thread()))
    with qtbot.waitSignal(job.done, timeout=5000) as blocker:
        job.start(_square, 7)
    assert blocker.args == [49] and threads == [threading.main_thread()]
    assert not job.running
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start(_fail)
    assert isinstance(blocker.args[0], ValueError)
    owner.deleteLater()


def test_a_superseded_job_is_told_to_stop_and_its_result_dropped(qtbot: QtBot) -> None:
    owner = QObject()
    job = BackgroundJob(owner)
    gate, started = threading.Event(), threading.Event()
    asked_to_stop: list[bool] = []

    def slow(tag: str, should_stop: object) -> str:
        started.set()
        assert gate.wait(5)
        asked_to_stop.append(should_stop())  # type: ignore[operator]
        return tag  # finishes anyway, like a job that never looks

    results: list[str] = []
    job.done.connect(results.append)
    job.start(slow, "old")
    assert started.wait(5)
    job.start(slow, "new")  # while "old" is running
    gate.set()
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    qtbot.wait(3 * 15)
    assert results == ["new"] and asked_to_stop == [True, False]
    job.start(slow, "cancelled")
    job.cancel()
    qtbot.wait(50)
    assert results == ["new"]
    owner.deleteLater()


def test_deleting_the_owner_stops_the_job(qtbot: QtBot) -> None:
    owner = QObject()
    job = BackgroundJob(owner)
    seen: list[bool] = []
    started = threading.Event()

    def waits(should_stop: object) -> None:
        started.set()
        for _ in range(500):
            if should_stop():  # type: ignore[operator]
                seen.append(True)
                return
            threading.Event().wait(0.01)

    job.start(waits)
    assert started.wait(5)
    owner.deleteLater()
    qtbot.waitUntil(lambda: seen == [True], timeout=3000)
