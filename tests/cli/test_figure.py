"""``figure``: everything refused before a view is drawn — one line, exit 2, no file, no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import main
from app.cli.common import CliError
from app.cli.figure import check_epoch, parse_size
from app.project import save_project
from tests.project.helpers import make_project

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "lstm-playground: error: "
EPOCHS = 4


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("figure") / "dinner.lstmproj"
    save_project(make_project(epochs=EPOCHS), path)
    return path


def refused(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    """Run ``figure`` with ``args``: exit 2, nothing on stdout, one error line returned."""
    code = main(["figure", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX), err
    assert "Traceback" not in err
    return lines[0][len(PREFIX) :]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--view", "spiral"], "invalid choice: 'spiral'"),
        ([], "the following arguments are required: --view"),
        (["--view", "cell", "--size", "big"], "--size must be WIDTHxHEIGHT"),
        (["--view", "cell", "--size", "100x900"], "between 200 and 8000 pixels"),
        (["--view", "cell", "--size", "900x9000"], "between 200 and 8000 pixels"),
        (["--view", "cell", "--scale", "0"], "--scale: must be between 0.5 and 4"),
        (["--view", "cell", "--scale", "nan"], "--scale: expected a finite number"),
        (["--view", "cell", "--size", "640x480", "--scale", "2"], "lays the view out at 320x240"),
        (["--view", "cell", "--sequence", "4"], "--sequence 4: the project has sequences 1 to 3"),
        (["--view", "cell", "--sequence", "0"], "--sequence: must be between 1"),
        (["--view", "cell", "--epoch", "999"], "--epoch 999: the project stores no weights"),
        (["--view", "compare", "--epoch-b", "7"], "--epoch-b 7: the project stores no weights"),
        (["--view", "train", "--epoch", "1"], "--epoch is for the views cell, generate"),
        (["--view", "compare", "--epoch", "1"], "use --epoch-a and --epoch-b"),
        (["--view", "cell", "--epoch-a", "1"], "--epoch-a and --epoch-b are for the compare"),
        (["--view", "train", "--step", "1"], "--step is for the cell view"),
        (["--view", "state-map", "--sequence", "1"], "--sequence is not used by the state-map"),
    ],
)
def test_bad_flags_are_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    extra: list[str],
    expected: str,
) -> None:
    out = tmp_path / "figure.png"
    assert expected in refused(capsys, project_file, out, *extra)
    assert not out.exists()


def test_bad_files_are_one_line(
    capsys: pytest.CaptureFixture[str], project_file: Path, tmp_path: Path
) -> None:
    png = tmp_path / "f.png"
    assert "does not exist" in refused(capsys, tmp_path / "none.lstmproj", png, "--view", "cell")
    broken = tmp_path / "broken.lstmproj"
    broken.write_bytes(b"not a project")
    assert "not an LSTM Playground project" in refused(capsys, broken, png, "--view", "cell")
    jpg = refused(capsys, project_file, tmp_path / "f.jpg", "--view", "train")
    assert ".png or .svg (a still image) or .gif or .mp4" in jpg and "not .jpg" in jpg
    assert "it has none" in refused(capsys, project_file, tmp_path / "f", "--view", "cell")
    folder = refused(capsys, project_file, tmp_path / "no" / "f.png", "--view", "cell")
    assert "does not exist" in folder
    assert not list(tmp_path.glob("f*"))


@pytest.mark.parametrize(
    ("out", "extra", "expected"),
    [
        ("f.png", ["--fps", "2"], "--fps is for animations (.gif, .mp4), not a .png still"),
        ("f.svg", ["--frames", "9"], "--frames is for animations (.gif, .mp4), not a .svg"),
        ("f.png", ["--no-loop"], "--loop and --no-loop are for .gif animations"),
        ("f.gif", ["--step", "2"], "--step picks the time step of a still"),
        ("f.gif", ["--epoch-b", "2"], "--epoch-b picks B for a still"),
        ("f.gif", ["--fps", "0"], "--fps: must be between 0.5 and 30"),
        ("f.gif", ["--fps", "inf"], "--fps: expected a finite number"),
        ("f.gif", ["--frames", "601"], "--frames: must be between 2 and 600"),
        ("f.gif", ["--frames", "1"], "--frames: must be between 2 and 600"),
        ("f.gif", ["--frames", "300", "--size", "1920x1080"], "give --frames 192 or fewer"),
        ("f.gif", ["--size", "8000x8000"], "--frames 100 at --size 8000x8000 is 6,400 million"),
        ("f.gif", ["--epoch", "99"], "--epoch is for the views cell, generate"),
    ],
)
def test_bad_animation_flags_are_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    out: str,
    extra: list[str],
    expected: str,
) -> None:
    view = ["--view", {"--epoch": "train", "--epoch-b": "compare"}.get(extra[0], "cell")]
    assert expected in refused(capsys, project_file, tmp_path / out, *view, *extra)
    assert not list(tmp_path.iterdir())


def test_an_mp4_without_ffmpeg_is_one_line(
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without ffmpeg
    message = refused(capsys, project_file, tmp_path / "f.mp4", "--view", "train")
    assert message == "MP4 needs ffmpeg, which was not found on PATH; write a .gif instead"
    assert not list(tmp_path.iterdir())


def test_refusals_happen_before_qt_is_loaded(project_file: Path, tmp_path: Path) -> None:
    """Checked without Qt (this test process has Qt loaded already: a fresh one)."""
    args = ["figure", str(project_file), str(tmp_path / "f.png"), "--view", "cell", "--epoch", "9"]
    script = (
        "import sys\nfrom app.__main__ import main\n"
        f"code = main({args!r})\n"
        "assert 'PySide6' not in sys.modules, 'Qt was loaded'\nsys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"{PREFIX}--epoch 9: the project stores no weights")


def test_size_is_parsed_and_bounded() -> None:
    assert parse_size("1920x1080") == (1920, 1080)
    assert parse_size(" 1280 X 720 ") == (1280, 720)
    for bad in ("1920", "1920x", "x1080", "-5x10", "1.5x2", "199x1080"):
        with pytest.raises(CliError):
            parse_size(bad)


def test_an_epoch_not_stored_names_the_nearest_stored_ones() -> None:
    stored = [0, 10, 20, 40]
    assert check_epoch("--epoch", 20, stored) == 20
    with pytest.raises(CliError, match="the nearest stored are 20 or 40"):
        check_epoch("--epoch", 30, stored)
    with pytest.raises(CliError, match=r"the nearest is 40 \(4 stored, 0 to 40\)"):
        check_epoch("--epoch", 99, stored)
