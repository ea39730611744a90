"""``figure … OUT.gif``: every view animated headless, frame by frame as the still is drawn."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from app.__main__ import main
from app.analysis.state_map import MapPoints
from app.cli.figure import FigureOptions
from app.project import load_project, save_project
from app.ui.shell import animation
from app.ui.shell import figure as figure_module
from app.ui.shell.animation import Cancelled, map_until, render_animation
from app.ui.train_tab.plots_area import PlotsArea
from tests.cli.test_movie import fake_ffmpeg
from tests.project.helpers import make_project

EPOCHS = 6
SIZE = ("--size", "480x320")


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("animation") / "dinner.lstmproj"
    save_project(make_project(epochs=EPOCHS), path)
    return path


def figure(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    code = main(["figure", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    assert code == 0 and out == "", err
    return err


def gif_frames(path: Path) -> list[np.ndarray]:
    with Image.open(path) as im:
        shown = []
        for i in range(im.n_frames):
            im.seek(i)
            shown.append(np.asarray(im.convert("L"), dtype=float))
    return shown


def test_the_train_replay_has_a_frame_per_stored_epoch_each_labelled(
    qapp: QApplication,
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One frame per stored epoch (0 … 6), each drawn after the view showed that epoch."""
    labels: list[str] = []
    raster = animation.widget_raster

    def recording(widget: QWidget, scale: float, pixels: QSize) -> QImage:
        assert isinstance(widget, PlotsArea)
        labels.append(widget.loss_plot.readout.shown_text())
        return raster(widget, scale, pixels)

    monkeypatch.setattr(animation, "widget_raster", recording)
    out = tmp_path / "train.gif"
    assert figure(capsys, project_file, out, "--view", "train", *SIZE, "--fps", "5") == ""
    frames = gif_frames(out)
    assert len(frames) == EPOCHS + 1
    assert all(f.shape == (320, 480) for f in frames)
    for a, b in itertools.pairwise(frames):
        assert np.abs(a - b).mean() > 0.1  # every epoch looks different
    # The palette's sample (the last epoch) first, then epochs 0 … 6 in order: the
    # read-out (its short form, this narrow) says "<b>epoch 1</b> · …" or "<b>3</b> · …".
    assert labels[1].startswith("No epochs yet")
    epochs = [int(m[1]) if (m := re.match(r"<b>(?:epoch )?(\d+)</b>", t)) else 0 for t in labels]
    assert epochs == [EPOCHS, *range(EPOCHS + 1)], labels
    with Image.open(out) as im:
        assert im.info["duration"] == 200 and im.info["loop"] == 0


@pytest.mark.parametrize(
    ("view", "frames"),
    [("compare", 3), ("versus", 3), ("cell", 3), ("generate", 3), ("state-map", 3)],
)
def test_each_view_is_animated(
    qapp: QApplication,
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    view: str,
    frames: int,
) -> None:
    """Each thinned to 3 frames (first, middle, last), which differ."""
    out = tmp_path / f"{view}.gif"
    most = ("--frames", "3")
    err = figure(capsys, project_file, out, "--view", view, *SIZE, *most, "--no-loop")
    shown = gif_frames(out)
    assert len(shown) == frames
    assert np.abs(shown[0] - shown[-1]).mean() > 0.1
    with Image.open(out) as im:
        assert "loop" not in im.info  # played once
    if view == "versus":  # 7 epochs shown as 3: said, on one line
        assert err.splitlines() == [
            "lstm-playground: versus.gif: 7 stored epochs, 3 of them, evenly spaced"
        ]
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_cancelling_writes_nothing(qapp: QApplication, project_file: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    out = tmp_path / "cell.gif"
    options = FigureOptions("cell", 480, 320, 1.0)
    with pytest.raises(Cancelled):
        render_animation(load_project(project_file), out, options, progress)
    assert seen == [(0, 3), (1, 3), (2, 3)]
    assert not list(tmp_path.iterdir())


def test_an_mp4_is_the_same_frames_through_ffmpeg(
    qapp: QApplication,
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stand-in ffmpeg writes the raw RGB frames it is sent: 3 frames of 480x320."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_ffmpeg(bin_dir, 'for last; do :; done\ncat > "$last"')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    out = tmp_path / "cell.mp4"
    figure(capsys, project_file, out, "--view", "cell", *SIZE)
    raw = np.frombuffer(out.read_bytes(), np.uint8)
    assert raw.size == 3 * 320 * 480 * 3
    first, last = raw.reshape(3, 320, 480, 3)[[0, 2]].astype(int)
    assert np.abs(first - last).mean() > 0.1


def test_the_state_map_grows_step_by_step() -> None:
    """Two lines of 3 and 2 steps: up to step 1, 2 + 2 points, each line still joined."""
    step = np.array([0, 1, 2, 0, 1])
    m = MapPoints(
        epoch=5, fit_epoch=5, vocabulary=("a", "b"), coords=np.arange(10.0).reshape(5, 2),
        sequence=np.array([0, 0, 0, 1, 1]), line=np.array([1, 1, 1, 2, 2]), step=step,
        symbol=np.array([0, 1, 0, 1, 0]), predicted=np.zeros(5, int), confidence=np.ones(5),
        explained=np.array([0.6, 0.3]), spans=((0, 3), (3, 5)),
    )  # fmt: skip
    part = map_until(m, 1)
    assert part.spans == ((0, 2), (2, 4))
    np.testing.assert_array_equal(part.coords, m.coords[[0, 1, 3, 4]])
    np.testing.assert_array_equal(part.line, [1, 1, 2, 2])
    assert map_until(m, 0).spans == ((0, 1), (1, 2))


def test_a_still_that_fails_midway_leaves_the_old_file(
    qapp: QApplication,
    capsys: pytest.CaptureFixture[str],
    project_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stills too are written under a temporary name and renamed only when complete."""
    out = tmp_path / "cell.png"
    out.write_bytes(b"the old slide")

    def half_written(widget: QWidget, path: str, *args: object) -> None:
        Path(path).write_bytes(b"\x89PNG half")
        raise OSError("disk full")

    monkeypatch.setattr(figure_module, "save_widget_image", half_written)
    code = main(["figure", str(project_file), str(out), "--view", "cell", *SIZE])
    assert code != 0
    capsys.readouterr()
    assert out.read_bytes() == b"the old slide"
    assert [p.name for p in tmp_path.iterdir()] == ["cell.png"]
