"""``lstm-playground figure``: one view of a saved project drawn to PNG or SVG, headless.

The view is the window's own widget (built from a training controller and a document
exactly as the window builds it), posed (sequence, epochs, step), laid out on its own
at ``size / scale`` logical pixels and drawn at a device pixel ratio of ``scale``: a
1920×1080 figure at scale 1.5 is the 1280×720 layout, drawn sharp.  Nothing is
trained and no training process starts: the view shows the project's stored snapshots.
Qt runs on its offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise.

The options arrive checked against the project (:mod:`app.cli.figure`); what can only be
checked once a view is built (the cell's time step) raises :class:`CliError` here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QMessageLogContext, QSize, Qt, QTimer, QtMsgType
from PySide6.QtCore import qInstallMessageHandler as install_message_handler
from PySide6.QtWidgets import QApplication, QWidget

from app.analysis.rollout import join_symbols
from app.cli.common import CliError
from app.cli.figure import FigureOptions
from app.cli.movie import replaced_atomically
from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document, empty_project
from app.ui.document.edits import ProjectEdits
from app.ui.shell import dialogs
from app.ui.shell.image_export import save_widget_image
from app.ui.shell.presentation import presentation_style
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import COMPARE_TITLE, CompareView
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm import VERSUS_TITLE, VersusView
from app.ui.tabs.rnn_vs_lstm.view import TYPING_MS
from app.ui.tabs.state_map import StateMapView
from app.ui.train_tab.plots_area import PlotsArea

TITLES = {
    "train": "Train",
    "compare": COMPARE_TITLE,
    "cell": CellView.TITLE,
    "versus": VERSUS_TITLE,
    "generate": "Generate",
    "state-map": "State map",
}
SETTLE_S = 0.02
"""How long the event loop runs between checks that the view has drawn everything."""
POLL_S = 0.005
"""How often a state map computed on the worker thread is looked at, at least."""
MAP_TIMEOUT_S = 60.0
"""The longest a state map computed on the worker thread (or compare's rows) is waited for."""


def render_figure(project: Project, out: Path, options: FigureOptions) -> None:
    """Draw ``options.view`` of ``project`` to ``out`` (PNG or SVG, by its extension).

    Raises
    ------
    CliError
        For an option that does not fit the built view (a time step out of range).
    OSError
        When the file cannot be written.
    """
    with posed_view(project, options) as view, replaced_atomically(out) as temp:
        title = f"LSTM Playground — {TITLES[options.view]}"
        pixels = QSize(options.width, options.height)
        save_widget_image(view, temp, title, options.scale, pixels)  # then renamed to out


@contextmanager
def posed_view(project: Project, options: FigureOptions) -> Iterator[QWidget]:
    """The view of ``options.view`` on ``project``, laid out on its own at the logical
    size, posed and fully drawn; closed (with its controllers) afterwards."""
    with posed(project, options) as stage:
        yield stage.view


@dataclass(frozen=True)
class Stage:
    """A posed view and what it was built from (an animation poses it again, frame by
    frame: :meth:`show` is the still's whole posing, for another project)."""

    qapp: QApplication
    view: QWidget
    document: Document
    options: FigureOptions

    def show(self, project: Project, again: bool = False) -> None:
        """Show ``project`` posed as ``options`` ask, fully drawn (CliError as a still).

        ``again``: the view shows this project already, but at another epoch, with the
        view state (``project.ui``) it has now, so no choice is being "typed" and
        nothing is waited for: the event loop runs only what is due at once.
        """
        pause = 0.0 if again else SETTLE_S
        with dialogs.non_interactive() as errors:  # a message box would wait for nobody
            self.document.replace(project)
            _pump(self.qapp, pause)
            _pose(self.view, self.options, project)
            _settle(self.qapp, self.view, pause, typing=not again)
        if errors:
            raise CliError(f"not drawn: {errors[0]}")

    def settle(self, pause: float = 0.0) -> None:
        """Run the event loop until what the view does at once (or on the worker) is
        done, and ``pause`` seconds more at each turn (for a layout that takes two)."""
        _settle(self.qapp, self.view, pause, typing=False)


@contextmanager
def posed(project: Project, options: FigureOptions) -> Iterator[Stage]:
    """:func:`posed_view`, with the document and the application it uses."""
    qapp = _application()
    previous = install_message_handler(_quiet_offscreen)
    controller = TrainingController(thread=True)  # nothing trains: no process is started
    document = Document(empty_project())
    edits = ProjectEdits(document, controller, lambda: False)  # never resets anything
    view = _build(options.view, controller, document, edits)
    # Laid out and drawn as if shown, never on a screen (from the window, not a flash).
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    look = presentation_style(view) if options.presentation else nullcontext()
    try:
        with look:  # entered with the view built, left before it closes
            stage = Stage(qapp, view, document, options)
            view.resize(*options.logical_size)
            view.show()
            stage.show(project)
            yield stage
    finally:
        if isinstance(view, VersusView):
            view.shutdown()
        view.close()
        controller.shutdown(2000)
        view.deleteLater()
        edits.deleteLater()
        qapp.processEvents()
        install_message_handler(previous)


def _application() -> QApplication:
    """The QApplication, on the offscreen platform unless one is set or it already runs."""
    if QApplication.instance() is None and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.ui.main import application

    return application()


def _build(
    name: str, controller: TrainingController, document: Document, edits: ProjectEdits
) -> QWidget:
    builders: dict[str, Callable[[], QWidget]] = {
        "train": lambda: PlotsArea(controller, document, edits),
        "compare": lambda: CompareView(controller, document),
        "cell": lambda: CellView(controller, document),
        "versus": lambda: VersusView(controller, document),
        "generate": lambda: GenerateView(controller, document),
        "state-map": lambda: StateMapView(controller, document),
    }
    return builders[name]()


def _pose(view: QWidget, o: FigureOptions, project: Project) -> None:
    """Sequence, epochs and step as asked (what is not asked stays as the project saved it)."""
    if isinstance(view, PlotsArea):
        if o.sequence is not None:
            view.sequence_combo.setCurrentIndex(o.sequence)
        view.flush()
    elif isinstance(view, CompareView):
        if o.sequence is not None:
            view.set_sequence(o.sequence)
        if o.epoch_a is not None:
            view.set_epoch("a", o.epoch_a, snap=False)
        if o.epoch_b is not None:
            view.set_epoch("b", o.epoch_b, snap=False)
        view.refresh_now()
    elif isinstance(view, CellView):
        _pose_cell(view, o)
    elif isinstance(view, VersusView):
        if o.sequence is not None:
            view.side_by_side.sequence_combo.setCurrentIndex(o.sequence)
    elif isinstance(view, GenerateView):
        if o.epoch is not None:
            view.controls.epoch.set_choice(o.epoch)
        tokens = project.data().tokens
        if not view.prompt.text().strip() and tokens and tokens[0]:
            # No prompt saved: start from the first symbol of the text, not an empty page.
            view.prompt.setText(join_symbols(tokens[0][:1], project.tokenizer))
        view.generate()
    elif isinstance(view, StateMapView):
        if o.epoch is not None:
            view.epoch.set_choice(o.epoch)
        view.refresh()


def _pose_cell(view: CellView, o: FigureOptions) -> None:
    if o.sequence is not None:
        view.set_sequence(o.sequence)
    if o.epoch is not None:
        view.set_epoch(o.epoch)
    view.refresh()
    if o.step is not None:
        steps = view.view.steps if view.view is not None else 0
        if not 0 <= o.step < steps:
            raise CliError(f"--step {o.step + 1}: the sequence shown has steps 1 to {steps}")
        view.set_step(o.step)
    view.refresh()


def _settle(
    qapp: QApplication, view: QWidget, pause: float = SETTLE_S, typing: bool = True
) -> None:
    """Run the event loop until the view's deferred redraws (and a state map computed on
    the worker thread) are done: ``pause`` at a time, and for RNN vs LSTM until a choice
    made as if typed is drawn (``typing``)."""
    deadline = time.monotonic() + MAP_TIMEOUT_S
    while isinstance(view, StateMapView) and view.busy_computing():
        if time.monotonic() > deadline:
            raise CliError(f"the state map took over {MAP_TIMEOUT_S:.0f} s to compute")
        _pump(qapp, max(pause, POLL_S))
    if isinstance(view, CompareView):
        view.refresh_now()
        while view.gates.building:  # its rows are built one per turn of the event loop
            if time.monotonic() > deadline:
                raise CliError(f"the gate rows took over {MAP_TIMEOUT_S:.0f} s to build")
            _pump(qapp, pause)
        _pump(qapp, pause)  # and laid out
    if isinstance(view, VersusView):  # a chosen line is drawn once "typing" pauses
        _pump(qapp, TYPING_MS / 1000 + SETTLE_S if typing else pause)
    focused = qapp.focusWidget()
    if focused is not None:  # no text cursor on a slide
        focused.clearFocus()
    _pump(qapp, pause)


def _pump(qapp: QApplication, seconds: float = SETTLE_S) -> None:
    """Run the event loop for ``seconds`` (timers due by then fire), then what is posted."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
    qapp.processEvents()


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's notices (size hints, fonts); pass the rest on."""
    if "propagateSizeHints" not in message and "QFont::" not in message:
        print(message, file=sys.stderr)
