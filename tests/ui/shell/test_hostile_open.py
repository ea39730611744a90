"""The window's Open path with hostile and extreme files (issue 11).

Each file is built here.  Opening it either shows one error dialog that names the file
in a readable message while the project on screen stays, or opens it — and then every
tab is switched to without an exception escaping (pytest-qt fails the test on any
exception in a slot or event handler).  A deadline turns a hang into a failure.
"""

from __future__ import annotations

import json
import math
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.project import Project, save_project
from app.ui.shell.window import MainWindow
from tests.project.helpers import (
    deadline,
    edit_json,
    make_project,
    read_members,
    write_members,
)
from tests.project.test_fuzz import MUTATIONS, original_members
from tests.ui.conftest import Dialogs, FileDialogs
from tests.ui.helpers import train_headless

MAX_EPOCH = 2**31 - 1
MAX_COUNT = 2**53 - 1
READABLE = 2000  # characters: an error dialog longer than this is a wall of text


def _trained(epochs: int = 2) -> Project:
    return make_project(epochs)


def _save(project: Project, path: Path) -> Path:
    save_project(project, path)
    return path


# -- files the window must refuse ------------------------------------------------------------
def garbage(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(path: Path) -> Path:
    _save(_trained(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    os.mkfifo(path)  # nobody writes: opening it for reading would block forever
    return path


def epoch_past_the_limit(path: Path) -> Path:
    _save(_trained(), path)
    edit_json(path, lambda doc: doc["trainer"].update(epoch=MAX_EPOCH + 1))
    return path


def lone_surrogate(path: Path) -> Path:
    _save(_trained(), path)
    edit_json(path, lambda doc: doc.update(title="\ud800"))
    return path


def ui_full_of_zeros(path: Path) -> Path:
    """~60 MB of JSON that deflates to well under 1 MB: 30 M zeros in ``ui``."""
    _save(make_project(), path)
    doc = json.loads(read_members(path)["project.json"])
    head, tail = json.dumps({**doc, "ui": "@"}).split('"@"')
    zeros = 30_000_000
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("project.json", "w", force_zip64=True) as out,
    ):
        out.write(head.encode() + b'{"zeros": [0')
        block = b",0" * 1_000_000
        for _ in range(zeros // 1_000_000):
            out.write(block)
        out.write(b"]}" + tail.encode())
    return path


def huge_symbol(path: Path) -> Path:
    """A 5 M-character symbol alone on its line (a line needs two symbols)."""
    _save(make_project(), path)
    edit_json(path, lambda doc: doc.update(text="pizza sushi\n" + "x" * 5_000_000 + "\n"))
    return path


REFUSED: dict[str, Callable[[Path], Path]] = {
    "garbage": garbage,
    "empty": empty,
    "truncated": truncated,
    "folder": folder,
    "fifo": fifo,
    "epoch past the limit": epoch_past_the_limit,
    "lone surrogate": lone_surrogate,
    "ui full of zeros": ui_full_of_zeros,
    "huge symbol": huge_symbol,
}


# -- files the window must open (and then show in every tab) ---------------------------------
def counters_at_their_limits(path: Path) -> Path:
    project = _trained()
    state = project.trainer_state
    assert state is not None
    state.epoch = MAX_EPOCH
    state.history[-1]["epoch"] = MAX_EPOCH
    state.snapshot_epochs[-1] = MAX_EPOCH
    state.total_updates = state.optimizer_steps = MAX_COUNT
    return _save(project, path)


def nan_weights(path: Path) -> Path:
    project = _trained()
    state = project.trainer_state
    assert state is not None
    for array in state.params.values():
        array.fill(math.nan)
    state.snapshot_weights[-1][:] = math.nan  # the newest snapshot, too
    return _save(project, path)


def deflated_zeros(path: Path) -> Path:
    """Every member deflated (a reader must accept both methods), weights all zero."""
    project = _trained()
    state = project.trainer_state
    assert state is not None
    for array in [*state.params.values(), *state.snapshot_weights]:
        array.fill(0.0)
    _save(project, path)
    write_members(path, read_members(path), method=zipfile.ZIP_DEFLATED)
    return path


def many_symbols(path: Path) -> Path:
    words = [f"w{k}" for k in range(1024)]
    text = "\n".join(" ".join(words[k : k + 16]) for k in range(0, len(words), 16)) + "\n"
    return _save(train_headless(make_project(text=text), 1), path)


OPENED: dict[str, Callable[[Path], Path]] = {
    "counters at their limits": counters_at_their_limits,
    "NaN weights": nan_weights,
    "deflated zeros": deflated_zeros,
    "many symbols": many_symbols,
}


def _open(window: MainWindow, file_dialogs: FileDialogs, path: Path) -> None:
    file_dialogs.next_open(path)
    with deadline(20):
        window.menu_actions.open.trigger()


def _visit_every_tab(window: MainWindow, qtbot: QtBot) -> None:
    tabs = window.views
    for index in [*range(tabs.count()), 0]:
        tabs.setCurrentIndex(index)
        qtbot.wait(150)  # views refresh when shown; let their timers and workers run


def test_hostile_files_are_refused_each_with_one_readable_dialog(
    window: MainWindow,
    dialogs: Dialogs,
    file_dialogs: FileDialogs,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    """One window opens them all in turn (a window per file would cost a second each)."""
    before = window.document.project
    for name, build in REFUSED.items():
        if name == "fifo" and not hasattr(os, "mkfifo"):
            continue
        path = build(tmp_path / f"{name.replace(' ', '-')}.lstmproj")
        dialogs.calls.clear()
        _open(window, file_dialogs, path)
        assert dialogs.kinds() == ["critical"], (name, dialogs.calls)
        text = dialogs.texts()[0]
        assert path.name in text, name
        assert len(text) < READABLE, name
        assert max(len(line) for line in text.splitlines()) < READABLE, name
        assert window.document.project is before and window.document.path is None, name
        assert window.menu_actions.train.isEnabled(), name  # the app lives on
    _visit_every_tab(window, qtbot)


@pytest.mark.parametrize("name", OPENED)
def test_an_extreme_but_valid_file_opens_and_every_tab_shows_it(
    name: str,
    window: MainWindow,
    dialogs: Dialogs,
    file_dialogs: FileDialogs,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    path = OPENED[name](tmp_path / f"{name.replace(' ', '-')}.lstmproj")
    _open(window, file_dialogs, path)
    assert dialogs.kinds() == [], dialogs.calls
    assert window.document.path == path
    _visit_every_tab(window, qtbot)
    assert dialogs.kinds() == [], dialogs.calls


def test_a_hostile_file_at_start_up_opens_the_default_example(
    make_window: Callable[..., MainWindow], qtbot: QtBot, dialogs: Dialogs, tmp_path: Path
) -> None:
    path = fifo(tmp_path / "pipe.lstmproj")
    with deadline(20):
        window = make_window(path)
    qtbot.waitUntil(lambda: dialogs.kinds() == ["critical"])
    assert path.name in dialogs.texts()[0]
    assert window.document.project.preset == "dinner"


@pytest.mark.parametrize("mutants", [12, pytest.param(30, marks=pytest.mark.slow)])
def test_fuzzed_files_either_open_or_are_refused(
    mutants: int,
    window: MainWindow,
    dialogs: Dialogs,
    file_dialogs: FileDialogs,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    """The project-file fuzzer's own mutations (tests/project/test_fuzz.py) through the
    window: one dialog, or the file opens and every tab shows it; never a hang."""
    originals = original_members(tmp_path)
    rng = random.Random(20261205)
    outcomes = {"opened": 0, "refused": 0}
    for k in range(mutants):  # the first 12 in every run, all 30 with -m slow
        what, data = rng.choice(MUTATIONS)(rng, originals[rng.randrange(len(originals))])
        path = tmp_path / f"mutant{k}.lstmproj"
        path.write_bytes(data)
        dialogs.calls.clear()
        _open(window, file_dialogs, path)
        if dialogs.kinds():
            assert dialogs.kinds() == ["critical"], (what, dialogs.calls)
            assert path.name in dialogs.texts()[0], what
            outcomes["refused"] += 1
        else:
            assert window.document.path == path, what
            outcomes["opened"] += 1
            _visit_every_tab(window, qtbot)
    assert outcomes["opened"] and outcomes["refused"], outcomes


UI_FIELDS = {
    "stop_condition": ("kind", "value"),
    "generate": ("prompt", "length", "mode", "temperature", "seed", "epoch"),
    "cell": ("latest", "sequence", "epoch", "step"),
    "compare": ("speed", "show", "follow", "sequence", "epoch_a", "epoch_b"),
    "versus": (
        "kind",
        "hidden_size",
        "window",
        "order",
        "prompt",
        "sequence",
        "steps",
        "log_scale",
    ),
    "state_map": ("sequences", "epoch", "fixed_axes"),
}
JUNK: list[Any] = [
    10**30, -(10**30), -1, 0, 2**31, 2**63, 1.5, -0.0, 1e308, "", "x" * 300, "latest",
    "NaN", None, True, False, [], {}, [1, 2, 3], [10**30, -1], {"a": 1},
]  # fmt: skip


def _junk_ui(rng: np.random.Generator) -> dict[str, Any]:
    """The views' stored settings (``project.ui``), each field junk or left out at random."""
    ui: dict[str, Any] = {"selected_sequence": JUNK[rng.integers(len(JUNK))]}
    for key, names in UI_FIELDS.items():
        if rng.random() < 0.15:
            ui[key] = JUNK[rng.integers(len(JUNK))]  # not even an object
        else:
            ui[key] = {n: JUNK[rng.integers(len(JUNK))] for n in names if rng.random() < 0.8}
    return ui


def test_junk_view_settings_in_a_file_are_ignored(
    window: MainWindow,
    dialogs: Dialogs,
    file_dialogs: FileDialogs,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    """``ui`` is free-form: whatever a file holds there, the views fall back to defaults."""
    rng = np.random.default_rng(5)
    project = _trained()
    for k in range(4):
        project.ui = _junk_ui(rng)
        path = _save(project, tmp_path / f"junk{k}.lstmproj")
        _open(window, file_dialogs, path)
        assert dialogs.kinds() == [], (project.ui, dialogs.calls)
        assert window.document.path == path
        _visit_every_tab(window, qtbot)
