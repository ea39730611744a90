"""Shared helpers for the project-file tests: building, training, comparing, rewriting."""

from __future__ import annotations

import io
import json
import math
import signal
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from app.engine.config import ModelConfig, TrainConfig
from app.engine.trainer import Trainer, TrainerState
from app.project import Project, RivalModel

TEXT = "pizza sushi waffles pizza\nsushi waffles pizza sushi\nwaffles pizza sushi waffles\n"


def make_project(
    epochs: int = 0,
    kind: str = "lstm",
    dtype: str = "float64",
    optimizer: str = "adam",
    text: str = TEXT,
    **train: Any,
) -> Project:
    """A small project, trained for ``epochs`` epochs."""
    settings = {"batch_size": 2, "learning_rate": 0.05, "optimizer": optimizer} | train
    project = Project.from_text(
        text,
        model=ModelConfig(kind=kind, hidden_size=3, dtype=dtype),
        train=TrainConfig(**settings),
        seed=7,
        title="Dinner",
        ui={"selected_epoch": 1, "panels": ["loss", "gates"]},
    )
    if epochs:
        trainer = project.make_trainer()
        list(trainer.run(epochs))
        project.capture(trainer)
    return project


def freeze_times(project: Project) -> None:
    """Zero the wall-clock fields, so the saved bytes are the same on every run."""
    state = project.trainer_state
    assert state is not None
    state.total_elapsed = 0.0
    for entry in state.history:
        entry |= {"elapsed": 0.0, "total_elapsed": 0.0, "updates_per_second": 0.0}
    if state.cursor is not None:
        state.cursor["elapsed"] = 0.0


def stop_after(trainer: Trainer, updates: int) -> None:
    """Make ``trainer.run`` stop (mid-epoch) after ``updates`` more updates."""
    step = trainer.optimizer.step
    count = 0

    def counting_step(*args: Any) -> None:
        nonlocal count
        step(*args)
        count += 1
        if count == updates:
            trainer.request_stop()

    trainer.optimizer.step = counting_step  # type: ignore[method-assign]


def same(a: Any, b: Any) -> bool:
    """Deep equality where NaN equals NaN and arrays must match in dtype, shape and bits."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and a.tobytes() == b.tobytes()
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def assert_same_project(a: Project, b: Project) -> None:
    for f in fields(Project):
        if f.name not in ("trainer_state", "rival"):
            assert same(getattr(a, f.name), getattr(b, f.name)), f.name
    assert_same_state(a.trainer_state, b.trainer_state)
    assert (a.rival is None) == (b.rival is None)
    if a.rival is not None and b.rival is not None:
        assert a.rival.model == b.rival.model and a.rival.train == b.rival.train
        assert_same_state(a.rival.trainer_state, b.rival.trainer_state)


def assert_same_state(a: TrainerState | None, b: TrainerState | None) -> None:
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        for f in fields(a):
            assert same(getattr(a, f.name), getattr(b, f.name)), f.name


def add_rival(
    project: Project, epochs: int = 0, kind: str = "rnn", hidden_size: int = 2, **train: Any
) -> Project:
    """Give ``project`` a second model (trained ``epochs`` epochs); returns the project."""
    project.rival = RivalModel(
        replace(project.model, kind=kind, hidden_size=hidden_size),
        replace(project.train, **train),
    )
    if epochs:
        rival = project.rival_project()
        trainer = rival.make_trainer()
        list(trainer.run(epochs))
        rival.capture(trainer)
        project.set_rival_from(rival)
    return project


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_members(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> None:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def edit_json(path: Path, edit: Callable[[dict[str, Any]], Any]) -> None:
    """Rewrite ``project.json`` inside ``path`` through ``edit`` (which mutates the dict)."""
    members = read_members(path)
    doc = json.loads(members["project.json"])
    edit(doc)
    members["project.json"] = json.dumps(doc).encode()
    write_members(path, members)


def npy_bytes(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int | None]]) -> bytes:
    """A ZIP built by hand: ``(name, content, method, declared_size)`` per member.

    ``declared_size`` (None = the truth) is what both headers claim the content
    inflates to, so tests can build archives that lie.
    """
    out = bytearray()
    central = bytearray()
    for name, content, method, declared in entries:
        raw = name.encode()
        data = content
        if method == zipfile.ZIP_DEFLATED:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = packer.compress(content) + packer.flush()
        size = len(content) if declared is None else declared
        crc = zlib.crc32(content)
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 33, crc, len(data), size, len(raw), 0
        )
        out += raw + data
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 33, crc, len(data), size,
            len(raw), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw
    eocd = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0
    )
    return bytes(out + central + eocd)


class Hung(Exception):  # not an OSError (TimeoutError is): the loader must not catch it
    """Raised by :func:`deadline` when the block runs too long."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail with :class:`Hung` instead of hanging when the block runs past ``seconds``
    (POSIX: an alarm interrupts even a blocking ``open``; elsewhere no limit)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
