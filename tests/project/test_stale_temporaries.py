"""What an interrupted save leaves behind is removed by the next save of the same file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.project import load_project, save_project
from tests.project.helpers import make_project

ROOT = Path(__file__).resolve().parents[2]


def _hidden(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(".")}


def test_save_removes_this_projects_stale_temporaries_only(tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    outside = tmp_path / "keep.txt"
    outside.write_text("not a temporary")
    stale = [".p.lstmproj.tmpabcd1234", ".p.lstmproj.tmp_9z0y8x7"]
    others = [
        ".q.lstmproj.tmpabcd1234",  # another project's
        ".p.lstmproj.tmpabcd1234.tmpefgh5678",  # the project ".p.lstmproj.tmpabcd1234"'s
        ".p.lstmproj.tmpabc",  # not a name mkstemp makes
        ".p.lstmproj.tmpABCD1234",
        ".pp.lstmproj.tmpabcd1234",
        "p.lstmproj.tmpabcd1234",
    ]
    for name in stale + others:
        (folder / name).write_bytes(b"PK\x03\x04 half a project")
    (folder / ".p.lstmproj.tmpfolder1").mkdir()  # not a regular file
    if hasattr(os, "symlink"):
        (folder / ".p.lstmproj.tmplink1234").symlink_to(outside)
    before = _hidden(folder)
    save_project(make_project(), folder / "p.lstmproj")
    assert _hidden(folder) == before - set(stale)
    assert outside.read_text() == "not a temporary"
    assert load_project(folder / "p.lstmproj").title == "Dinner"


_BLOCKED_SAVE = textwrap.dedent(
    """
    import sys, time
    from app.project import _zipwrite, save_project
    from tests.project.helpers import make_project

    def stuck(fp, json_bytes, arrays):  # half the archive written, then the save stalls
        fp.write(b"PK\\x03\\x04" + bytes(100_000))
        fp.flush()
        print("writing", flush=True)
        time.sleep(600)

    _zipwrite.write_archive = stuck
    save_project(make_project(), sys.argv[1])
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_temporary_of_a_save_killed_midway_goes_with_the_next_save(tmp_path: Path) -> None:
    target = tmp_path / "p.lstmproj"
    save_project(make_project(), target)
    child = subprocess.Popen(
        [sys.executable, "-c", _BLOCKED_SAVE, str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        (temporary,) = _hidden(tmp_path)
        assert temporary.startswith(".p.lstmproj.tmp")
        save_project(make_project(), target)  # the child's save is still running: kept
        assert _hidden(tmp_path) == {temporary}
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.stdout is not None
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert _hidden(tmp_path) == {temporary}  # kill -9 left it behind
    save_project(make_project(), target)
    assert _hidden(tmp_path) == set()
    assert load_project(target).title == "Dinner"
