"""`train` inside long epochs: progress lines in --json, the bar's updates and ETA."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from app.__main__ import main
from app.cli import train as cli_train
from app.engine.trainer import Progress as EpochProgress
from app.project import load_project


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "dinner.lstmproj"
    assert (
        main(["new", str(path), "--preset", "dinner", "--batch-size", "2"]) == 0
    )  # 4 updates an epoch
    return path


def train_json(capsys: pytest.CaptureFixture[str], path: Path, epochs: int) -> tuple[int, list]:
    code = main(["train", str(path), "--epochs", str(epochs), "--json"])
    out, _ = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()]


def test_json_reports_progress_inside_an_epoch_longer_than_the_interval(
    fresh: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_train, "_JSON_INTERVAL", 0.0)  # every epoch counts as long
    capsys.readouterr()
    code, events = train_json(capsys, fresh, 2)
    assert code == 0 and events[-1]["event"] == "summary"
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    for epoch in epochs:
        mine = [e for e in events if e["event"] == "progress" and e["epoch"] == epoch["epoch"]]
        assert [e["updates"] for e in mine] == list(range(1, epoch["updates"] + 1))
        assert {e["updates_in_epoch"] for e in mine} == {epoch["updates"]}
        assert [e["symbols"] for e in mine] == sorted({e["symbols"] for e in mine})
        assert mine[-1]["train_loss"] == epoch["train_loss"]  # the epoch's loss, so far
        assert 0 <= mine[-1]["train_accuracy"] <= 1 and mine[-1]["elapsed"] > 0
        # every progress line of an epoch comes before its epoch line
        assert events.index(mine[-1]) < events.index(epoch)


def test_json_of_a_quick_epoch_has_no_progress_lines(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, events = train_json(capsys, fresh, 3)
    assert code == 0
    assert [e["event"] for e in events] == ["epoch"] * 3 + ["summary"]


def test_json_progress_into_a_closed_pipe_stops_mid_epoch_and_saves(
    fresh: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def print_json(value: dict) -> None:  # `train --json | head -3`
        if value.get("updates", 0) > 2:
            raise BrokenPipeError

    monkeypatch.setattr(cli_train, "_JSON_INTERVAL", 0.0)
    monkeypatch.setattr(cli_train, "print_json", print_json)
    assert main(["train", str(fresh), "--epochs", "5", "--json"]) == 1
    assert "output closed" in capsys.readouterr().err
    state = load_project(fresh).trainer_state
    assert state is not None and state.epoch == 0 and state.cursor is not None
    assert state.cursor["updates"] == 3  # the update whose line failed is kept


def test_plain_lines_show_updates_loss_and_eta_inside_an_epoch(
    fresh: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_train, "_LOG_INTERVAL", 0.0)
    capsys.readouterr()
    assert main(["train", str(fresh), "--epochs", "2"]) == 0
    lines = capsys.readouterr().err.splitlines()
    within = [line for line in lines if "update " in line]
    assert within and within[0].startswith("epoch 1 (0/2)  update 1/")
    assert all(" loss " in line and "ETA " in line for line in within)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_counts_the_part_of_the_epoch_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_train, "_terminal_width", lambda stream: 120)
    stream = Terminal()
    bar = cli_train.Progress(2, stream)
    bar.started = time.monotonic() - 10.0  # half an epoch took 10 s: 20 s an epoch
    half = EpochProgress(1, 30, 60, 300, 600, 2.3456, 0.41, 10.0)
    bar.within(half, done=0)
    line = stream.getvalue()
    assert line.startswith("\r[#####...............] epoch 1 (0/2)  update 30/60")
    assert "loss 2.3456  accuracy 41.0%  20.0 s/epoch  ETA 0:00:30" in line
