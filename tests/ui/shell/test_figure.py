"""``lstm-playground figure``: every view drawn headless to PNG and SVG, posed as asked."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.__main__ import main
from app.cli.figure import VIEWS, FigureOptions
from app.project import load_project, save_project
from app.training.controller import TrainingController
from app.ui.document.document import Document, empty_project
from app.ui.document.edits import ProjectEdits
from app.ui.shell import figure as figure_module
from app.ui.shell.figure import posed_view
from app.ui.shell.image_export import drop_empty_paths, save_image
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.train_tab.plots_area import PlotsArea
from tests.project.helpers import make_project

ROOT = Path(__file__).resolve().parents[3]
EPOCHS = 6
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("figure") / "dinner.lstmproj"
    save_project(make_project(epochs=EPOCHS), path)
    return path


def figure(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = main(["figure", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    assert out == ""
    return code, err


def pixels(path: Path) -> np.ndarray:
    """The image at ``path`` as an (H, W) array of grey levels."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert not image.isNull(), path
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width()].astype(float)


def shrunk(path: Path, size: QSize) -> np.ndarray:
    image = QImage(str(path)).scaled(
        size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    small = path.with_name(path.stem + "-small.png")
    image.save(str(small))
    return pixels(small)


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_drawn_to_png_and_svg(
    qapp: QApplication, capsys: pytest.CaptureFixture[str], project_file: Path, tmp_path: Path,
    view: str,
) -> None:  # fmt: skip
    png, svg = tmp_path / f"{view}.png", tmp_path / f"{view}.svg"
    for out in (png, svg):
        code, err = figure(capsys, project_file, out, "--view", view, "--size", "900x560")
        assert code == 0, err
        assert err == ""
    grey = pixels(png)
    assert grey.shape == (560, 900)
    assert grey.var() > 200, f"{view}: the image is (nearly) blank"
    root = ET.parse(svg).getroot()
    assert root.get("viewBox") == "0 0 900 560"
    paths = list(root.iter(f"{SVG}path"))
    assert paths, f"{view}: the SVG holds no drawing"
    assert all(p.get("d") for p in paths), f"{view}: an empty <path d=''> in the SVG"


def test_the_scale_draws_the_smaller_layout_sharp(
    qapp: QApplication, capsys: pytest.CaptureFixture[str], project_file: Path, tmp_path: Path
) -> None:
    """1350x900 at scale 1.5 is the 900x600 layout: shrunk, it looks like the 900x600 figure
    (and not like the 1350x900 layout, whose parts sit elsewhere)."""
    base, sharp, wide = (tmp_path / f"{n}.png" for n in ("base", "sharp", "wide"))
    common = ("--view", "cell", "--step", "2")
    assert figure(capsys, project_file, base, *common, "--size", "900x600")[0] == 0
    assert (
        figure(capsys, project_file, sharp, *common, "--size", "1350x900", "--scale", "1.5")[0] == 0
    )
    assert figure(capsys, project_file, wide, *common, "--size", "1350x900")[0] == 0
    assert pixels(sharp).shape == pixels(wide).shape == (900, 1350)
    reference = pixels(base)
    same_layout = np.abs(shrunk(sharp, QSize(900, 600)) - reference).mean()
    other_layout = np.abs(shrunk(wide, QSize(900, 600)) - reference).mean()
    assert same_layout < 6 and same_layout < other_layout / 2, (same_layout, other_layout)


def test_the_step_epoch_and_sequence_pose_the_view(
    qapp: QApplication, capsys: pytest.CaptureFixture[str], project_file: Path, tmp_path: Path
) -> None:
    shots = {}
    for name, extra in {
        "step1": ("--step", "1"),
        "step3": ("--step", "3"),
        "epoch0": ("--step", "1", "--epoch", "0"),
        "line2": ("--step", "1", "--sequence", "2"),
    }.items():
        shots[name] = tmp_path / f"{name}.png"
        code, err = figure(
            capsys, project_file, shots[name], "--view", "cell", "--size", "800x500", *extra
        )
        assert code == 0, err
    grey = {name: pixels(path) for name, path in shots.items()}
    for other in ("step3", "epoch0", "line2"):
        assert np.abs(grey[other] - grey["step1"]).mean() > 0.5, other
    compare = tmp_path / "compare.png"
    args = ("--view", "compare", "--epoch-a", "0", "--epoch-b", "3", "--size", "800x500")
    assert figure(capsys, project_file, compare, *args)[0] == 0


def test_the_chosen_line_is_drawn_in_every_view_that_shows_one(
    qapp: QApplication, project_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only the selector: the rows drawn are line 2's ("sushi waffles pizza sushi").

    The event loop is run as briefly as it can be: what the views do later (compare's
    rows, one per turn; RNN vs LSTM's redraw after a pause) must be waited for, not hoped.
    """
    monkeypatch.setattr(figure_module, "SETTLE_S", 0.0)
    project = load_project(project_file)
    line2 = ["sushi", "waffles", "pizza"]  # the symbols read (each predicts the next)
    options = FigureOptions("versus", 800, 500, 1.0, sequence=1)
    with posed_view(project, options) as view:
        assert isinstance(view, VersusView)
        reads = view.side_by_side.predictions.rows[0]
        assert [cell.text for cell in reads.cells] == line2
    with posed_view(project, replace(options, view="cell", step=2)) as view:
        assert isinstance(view, CellView)
        assert view.view is not None and list(view.view.tokens[:3]) == line2
        assert view.state.step == 2
    with posed_view(project, replace(options, view="compare", epoch_a=1, epoch_b=3)) as view:
        assert isinstance(view, CompareView) and view.shown is not None
        a, b = view.shown
        assert list(a.tokens[:3]) == line2 and a.epoch == 1 and b.epoch == 3
        assert not view.gates.building  # every gate row is there to be drawn


def test_a_step_past_the_sequence_is_one_line_and_no_file(
    qapp: QApplication, capsys: pytest.CaptureFixture[str], project_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cell.png"
    code, err = figure(capsys, project_file, out, "--view", "cell", "--step", "500")
    assert code == 2
    # The first line, "pizza sushi waffles pizza", is read in 3 steps (each predicts the next).
    assert err.splitlines() == [
        "lstm-playground: error: --step 500: the sequence shown has steps 1 to 3"
    ]
    assert not out.exists()


def test_empty_paths_are_dropped_from_exported_svg(qapp: QApplication, tmp_path: Path) -> None:
    """Qt writes ``<path d="">`` for an empty curve; the export leaves none."""

    def paint(painter: QPainter) -> None:
        painter.drawPath(QPainterPath())  # an empty curve, as a plot with no points draws
        line = QPainterPath()
        line.lineTo(50, 20)
        painter.drawPath(line)

    out = tmp_path / "empty.svg"
    save_image(str(out), QSizeF(100, 60), paint)
    root = ET.parse(out).getroot()
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == 1 and paths[0].get("d")
    raw = tmp_path / "raw.svg"
    raw.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><g>\n<path d=""/>\n<path d="M0 0"/>\n</g></svg>'
    )
    assert drop_empty_paths(raw) == 1
    assert [p.get("d") for p in ET.parse(raw).getroot().iter(f"{SVG}path")] == ["M0 0"]


def test_it_runs_without_a_display(project_file: Path, tmp_path: Path) -> None:
    """No DISPLAY, no platform set: the figure is drawn offscreen, in a fresh process."""
    env = {k: v for k, v in os.environ.items()}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    out = tmp_path / "train.png"
    done = subprocess.run(
        [sys.executable, "-m", "app", "figure", str(project_file), str(out), "--view", "train",
         "--size", "640x400"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert QImage(str(out)).size() == QSize(640, 400)


def test_the_train_tabs_plot_export_has_no_empty_paths(
    qtbot: QtBot, project_file: Path, tmp_path: Path
) -> None:
    """File ▸ Export of the loss plot: no validation curve, yet no ``<path d="">`` for it."""
    controller = TrainingController(thread=True)
    document = Document(empty_project())
    edits = ProjectEdits(document, controller, lambda: False)
    plots = PlotsArea(controller, document, edits)
    qtbot.addWidget(plots)
    plots.resize(900, 600)
    plots.show()
    document.replace(load_project(project_file))
    plots.flush()
    out = tmp_path / "loss.svg"
    plots.loss_plot.export_image(str(out))
    paths = list(ET.parse(out).getroot().iter(f"{SVG}path"))
    assert paths and all(p.get("d") for p in paths)
    controller.shutdown(2000)


def test_presentation_figure_draws_larger_text_and_leaves_the_look_as_it_was(
    qapp: QApplication, project_file: Path
) -> None:
    """``figure --presentation``: the view's text (a label and an axis's ticks) is larger
    than in the plain figure, and drawing it leaves the application's fonts unchanged."""
    project = load_project(project_file)
    options = FigureOptions("train", 1280, 720, 1.0)
    app_font = qapp.font().pointSizeF()

    def sizes(o: FigureOptions) -> tuple[float, float]:
        with posed_view(project, o) as view:
            assert isinstance(view, PlotsArea)
            readout = view.loss_plot.readout.font().pointSizeF()
            ticks = view.loss_plot.loss_plot.getAxis("left").style["tickFont"].pointSizeF()
            return readout, ticks

    plain = sizes(options)
    present = sizes(replace(options, presentation=True))
    assert present[0] > plain[0] * 1.1 and present[1] > plain[1] * 1.1
    assert qapp.font().pointSizeF() == app_font
    assert sizes(options) == plain
