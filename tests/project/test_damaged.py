"""Truncated, bit-flipped, missing and unreadable files: always a ProjectFileError."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from app.project import Project, ProjectFileError, fileformat, load_project, save_project
from tests.project.helpers import (
    freeze_times,
    make_project,
    raw_zip,
    read_members,
    stop_after,
    write_members,
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small trained project stopped mid-epoch, so every kind of member is present."""
    path = tmp_path_factory.mktemp("saved") / "p.lstmproj"
    project = make_project(1, text="a b\nb a\nb b a\n", batch_size=1)
    trainer = project.make_trainer()
    stop_after(trainer, 1)
    list(trainer.run(1))
    project.capture(trainer)
    freeze_times(project)  # the same bytes every run: the fuzzing below is reproducible
    save_project(project, path)
    assert set(read_members(path)) >= {
        "cursor/order.npy",
        "optimizer/m.npy",
        "snapshots/000001.npy",
    }
    return path.read_bytes()


def _load_bytes(folder: Path, data: bytes, name: str) -> Project | ProjectFileError:
    # A fresh name each time: truncating one file thousands of times is slow on ext4.
    path = folder / name
    path.write_bytes(data)
    try:
        return load_project(path)
    except ProjectFileError as e:
        assert str(e).startswith(f"{path}: ")
        return e
    finally:
        path.unlink()


def test_every_prefix_is_refused(tmp_path: Path, saved: bytes) -> None:
    for k in range(len(saved)):
        result = _load_bytes(tmp_path, saved[:k], f"{k}.lstmproj")
        assert isinstance(result, ProjectFileError), k
        if k >= 4:
            assert "truncated or damaged" in result.reason, (k, result.reason)


def test_random_byte_flips_never_crash(tmp_path: Path, saved: bytes) -> None:
    rng = random.Random(1234)
    loaded = 0
    for trial in range(1500):
        data = bytearray(saved)
        for _ in range(1 if trial < 1000 else 3):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        result = _load_bytes(tmp_path, bytes(data), f"{trial}.lstmproj")
        if isinstance(result, Project):  # e.g. a flipped timestamp: must still be valid
            loaded += 1
            assert result.make_trainer().epoch == 1
    assert 0 < loaded < 1500


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="no such file"):
        load_project(tmp_path / "nope.lstmproj")


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="is a folder"):
        load_project(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.lstmproj").touch()
    with pytest.raises(ProjectFileError, match="is empty"):
        load_project(tmp_path / "e.lstmproj")


def test_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "t.lstmproj").write_text("pizza sushi waffles\n")
    with pytest.raises(ProjectFileError, match=r"not an LSTM Playground project \(not a ZIP"):
        load_project(tmp_path / "t.lstmproj")


def test_zip_without_project_json(tmp_path: Path) -> None:
    write_members(tmp_path / "z.lstmproj", {"readme.txt": b"hello"})
    with pytest.raises(ProjectFileError, match=r"no project\.json inside"):
        load_project(tmp_path / "z.lstmproj")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # Simulated: the tests may run as root, who can read a chmod 000 file anyway.
    monkeypatch.setattr(fileformat, "open", refuse, raising=False)
    with pytest.raises(ProjectFileError, match="permission denied"):
        load_project(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)
    path.chmod(0)
    with pytest.raises(ProjectFileError, match="permission denied"):
        load_project(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.lstmproj")
    fd = os.open(tmp_path / "f.lstmproj", os.O_RDWR | os.O_NONBLOCK)  # so open() can't block
    try:
        with pytest.raises(ProjectFileError, match="not a regular file"):
            load_project(tmp_path / "f.lstmproj")
    finally:
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    """Nobody writes to the FIFO: opening it the ordinary way would wait forever."""
    fifo = tmp_path / "f.lstmproj"
    os.mkfifo(fifo)
    outcome: list[BaseException | Project] = []

    def load() -> None:
        try:
            outcome.append(load_project(fifo))
        except BaseException as e:  # handed to the test thread below
            outcome.append(e)

    worker = threading.Thread(target=load, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # a regression: release the blocked open() before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        pytest.fail("load_project blocked on a FIFO")
    assert time.monotonic() - started < 1
    assert len(outcome) == 1 and isinstance(outcome[0], ProjectFileError)
    assert outcome[0].reason.startswith("is not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device_is_refused() -> None:
    with pytest.raises(ProjectFileError, match="is not a regular file"):
        load_project("/dev/zero")


def test_missing_member(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(1), path)
    members = read_members(path)
    del members["weights/Wh.npy"]
    write_members(path, members)
    with pytest.raises(ProjectFileError, match=r"missing the array 'weights/Wh\.npy'"):
        load_project(path)


@pytest.mark.parametrize("extra", ["notes.txt", "weights/extra.npy", "weights/", "snapshots/9.npy"])
def test_unexpected_member(tmp_path: Path, extra: str) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(1), path)
    write_members(path, read_members(path) | {extra: b""})
    with pytest.raises(ProjectFileError, match=f"unexpected member '{extra}'"):
        load_project(path)


def test_project_json_missing_from_a_trained_file(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(1), path)
    members = read_members(path)
    del members["project.json"]
    path.write_bytes(raw_zip([(n, c, 0, None) for n, c in members.items()]))
    with pytest.raises(ProjectFileError, match=r"no project\.json"):
        load_project(path)
