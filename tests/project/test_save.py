"""Saving: atomic (the old file survives any failure), and unsaveable projects refused."""

from __future__ import annotations

import copy
import errno
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.project import Project, ProjectFileError, _zipwrite, load_project, save_project
from tests.project.helpers import assert_same_project, make_project

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(1), path)
    return path


def _fail_on_call(n: int, error: BaseException, real: Callable[..., Any]) -> Callable[..., Any]:
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            raise error
        return real(*args, **kwargs)

    return wrapper


def _only(folder: Path, *names: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)  # no temporary files left


@pytest.mark.parametrize(
    ("target", "error", "expected"),
    [
        ("write_array", RuntimeError("boom"), RuntimeError),  # a bug halfway through
        ("write_array", ENOSPC, ProjectFileError),  # the disk fills up halfway through
        ("fsync", ENOSPC, ProjectFileError),
        ("replace", PermissionError(errno.EACCES, "Permission denied"), ProjectFileError),
        ("write_array", KeyboardInterrupt(), KeyboardInterrupt),
    ],
)
def test_failed_save_leaves_the_old_file_untouched(
    old_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    error: BaseException,
    expected: type[BaseException],
) -> None:
    before = old_file.read_bytes()
    if target == "write_array":
        real = np.lib.format.write_array
        monkeypatch.setattr(np.lib.format, "write_array", _fail_on_call(3, error, real))
    else:
        monkeypatch.setattr(_zipwrite.os, target, _fail_on_call(1, error, getattr(os, target)))
    with pytest.raises(expected) as info:
        save_project(make_project(3), old_file)
    if expected is ProjectFileError and isinstance(error, OSError):
        assert str(info.value) == f"{old_file}: could not be saved: {error.strerror}"
    assert old_file.read_bytes() == before
    _only(old_file.parent, "p.lstmproj")


def test_failed_first_save_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = np.lib.format.write_array
    monkeypatch.setattr(np.lib.format, "write_array", _fail_on_call(2, ENOSPC, real))
    with pytest.raises(ProjectFileError, match="No space left on device"):
        save_project(make_project(2), tmp_path / "new.lstmproj")
    _only(tmp_path)


def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(_zipwrite.tempfile, "mkstemp", refuse)  # root ignores chmod 0o555
    with pytest.raises(ProjectFileError, match="could not be saved: Permission denied"):
        save_project(make_project(), tmp_path / "p.lstmproj")


def test_save_replaces_and_keeps_permissions(old_file: Path) -> None:
    old_file.chmod(0o640)
    project = make_project(2)
    save_project(project, old_file)
    assert old_file.stat().st_mode & 0o777 == 0o640
    assert_same_project(project, load_project(old_file))
    _only(old_file.parent, "p.lstmproj")


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    save_project(make_project(), tmp_path / "p.lstmproj")
    assert (tmp_path / "p.lstmproj").stat().st_mode & 0o777 == 0o666 & ~_zipwrite._UMASK


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_saving_through_a_symlink_updates_its_target(old_file: Path) -> None:
    link = old_file.parent / "link.lstmproj"
    link.symlink_to(old_file)
    project = make_project(2)
    save_project(project, link)
    assert link.is_symlink()
    assert_same_project(project, load_project(old_file))


def test_saving_onto_a_folder_or_into_a_missing_one(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="is a folder"):
        save_project(make_project(), tmp_path)
    with pytest.raises(ProjectFileError, match=r"folder .* does not exist"):
        save_project(make_project(), tmp_path / "nope" / "p.lstmproj")


def _trained() -> Project:
    return make_project(1)


def _edit_state(edit: Callable[[Any], None]) -> Callable[[Project], None]:
    def apply(project: Project) -> None:
        edit(project.trainer_state)

    return apply


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda p: setattr(p, "text", p.text + "pizza pasta\n"), "the text has 4 symbols"),
        (lambda p: setattr(p, "text", "pizza\n"), "the text cannot be used"),
        (lambda p: setattr(p, "tokenizer", "sep:"), "field tokenizer"),
        (lambda p: setattr(p, "ui", {"sizes": (1, 2)}), r"ui\['sizes'\] is a tuple"),
        (lambda p: setattr(p, "ui", {"x": float("nan")}), r"ui\['x'\] is nan"),
        (lambda p: setattr(p, "ui", {1: 2}), "keys must be strings"),
        (lambda p: setattr(p, "seed", -1), "the seed must be an integer"),
        (lambda p: setattr(p, "seed", True), "the seed must be an integer"),
        (
            lambda p: setattr(p, "title", "\ud800"),
            r"field title holds an unpaired surrogate \(\\ud800\)",
        ),
        (
            lambda p: setattr(p, "model", replace(p.model, hidden_size=5)),
            r"'weights/Wx.npy' has shape \(3, 12\), expected \(3, 20\)",
        ),
        (lambda p: setattr(p, "train", replace(p.train, optimizer="sgd")), "optimizer_slots"),
        (lambda p: setattr(p, "model", "lstm"), "project.model must be a ModelConfig"),
        (_edit_state(lambda s: s.params.update(Wx=np.zeros((3, 3)))), "has shape"),
        (_edit_state(lambda s: s.params.update(Wx=s.params["Wx"].astype("f4"))), "float64"),
        (_edit_state(lambda s: s.params.pop("Wx")), "arrays do not match"),
        (_edit_state(lambda s: setattr(s, "epoch", -1)), "trainer.epoch"),
        (_edit_state(lambda s: setattr(s, "rng_state", {})), "trainer state is malformed"),
        (_edit_state(lambda s: s.history[0].update(extra=1)), "unexpected field"),
    ],
)
def test_unsaveable_projects_are_refused(
    tmp_path: Path, edit: Callable[[Project], None], match: str
) -> None:
    project = _trained()
    edit(project)
    with pytest.raises(ProjectFileError, match=match):
        save_project(project, tmp_path / "p.lstmproj")
    _only(tmp_path)


def test_saving_does_not_change_the_project(tmp_path: Path) -> None:
    project = make_project(2)
    before = copy.deepcopy(project)
    save_project(project, tmp_path / "p.lstmproj")
    assert_same_project(before, project)
