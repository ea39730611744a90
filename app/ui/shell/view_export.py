"""File ▸ Export ▸ Figure of this view… / Animation of this view…: the tab on screen, for
slides, drawn by the very code ``lstm-playground figure`` runs.

The figure is of the project *in memory* — trained but unsaved is fine: the trainer's
state (and the second network of RNN vs LSTM) is captured into a copy, as Save does,
and the copy drawn; each view shows what the tab's own choices (line, epochs, step,
prompt), kept in the project, say.  Slide-shaped: 1920×1080 pixels at UI scale 1.5
(the 1280×720 layout, drawn sharp) — the window's shape, docks and all, is not.  An
animation can take seconds: a window-modal progress dialog counts the frames (its
Cancel stops, and no file is written) while the event loop keeps turning.  Errors are
a message box, never a traceback.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QProgressDialog,
    QTabWidget,
    QWidget,
)

from app.cli.common import CliError
from app.cli.figure import FigureOptions
from app.cli.movie import NO_FFMPEG, find_ffmpeg
from app.data import DataError
from app.project import Project
from app.ui.shell import dialogs
from app.ui.shell.image_export import ask_image_path
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.state_map import StateMapView
from app.ui.train_tab.plots_area import PlotsArea

if TYPE_CHECKING:
    from app.training.controller import TrainingController
    from app.ui.document.document import Document
    from app.ui.document.preferences import Preferences

SLIDE = (1920, 1080, 1.5)
"""Width and height in pixels, and the UI scale, of an exported figure or animation."""
VIEW_NAMES: tuple[tuple[type[QWidget], str], ...] = (
    (PlotsArea, "train"),
    (CompareView, "compare"),
    (CellView, "cell"),
    (VersusView, "versus"),
    (GenerateView, "generate"),
    (StateMapView, "state-map"),
)
GIF_FILTER = "GIF animation (*.gif)"
MP4_FILTER = "MP4 video (*.mp4)"
PYTORCH_FILTER = "Folder (*)"


def view_name(widget: QWidget | None) -> str | None:
    """The ``figure --view`` name of a tab's widget (None: not a view that can be drawn)."""
    return next((name for kind, name in VIEW_NAMES if isinstance(widget, kind)), None)


def slide_options(view: str) -> FigureOptions:
    width, height, scale = SLIDE
    return FigureOptions(view, width, height, scale)


class ViewExport(QObject):
    """The two Export actions of the window (a child of it: no reference back to it)."""

    def __init__(
        self,
        window: QMainWindow,
        views: QTabWidget,
        document: Document,
        controller: TrainingController,
        preferences: Preferences,
    ) -> None:
        super().__init__(window)
        self._views = views
        self._document = document
        self._controller = controller
        self._preferences = preferences
        self.last_written: Path | None = None

    def _window(self) -> QWidget:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        return parent

    def current_view(self) -> str | None:
        return view_name(self._views.currentWidget())

    def project_in_memory(self) -> Project:
        """A copy of the project with the trainer's state as it is now (as Save takes it).

        Raises ``RuntimeError`` when there is no model to capture.
        """
        project = replace(self._document.project)
        self._controller.capture_into(project)
        self._document.about_to_save.emit(project)  # RNN vs LSTM adds its second network
        return project

    # -- the actions ------------------------------------------------------------------
    @Slot()
    def export_pytorch(self) -> Path | None:
        """Ask for a folder to create and write the project there for PyTorch (the
        ``export --to pytorch`` command's code): a previous export there is replaced
        after asking; any other folder that is not empty is refused with a message."""
        from app.cli.export import export_pytorch, is_export

        window = self._window()
        stem = self._document.path.stem if self._document.path is not None else "project"
        start = Path(self._preferences.last_directory()) / f"{stem}-pytorch"
        path, _ = QFileDialog.getSaveFileName(
            window, "Export for PyTorch: the folder to create", str(start), PYTORCH_FILTER
        )
        if not path:
            return None
        target = Path(path)
        force = False
        if target.is_dir() and any(target.iterdir()):
            if not is_export(target):
                dialogs.show_error(
                    window,
                    "Cannot export for PyTorch",
                    f"{target} is a folder that is not empty and holds no earlier export: "
                    "choose a new name, so nothing of yours is overwritten.",
                )
                return None
            if not dialogs.ask_replace_export(window, target.name):
                return None
            force = True
        name = self._document.path.name if self._document.path is not None else ""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_pytorch(self.project_in_memory(), target, force=force, name=name)
        except (CliError, DataError, OSError, ValueError, RuntimeError) as exc:
            dialogs.show_error(window, "Cannot export for PyTorch", f"{target}: {exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self._preferences.set_last_directory(target.parent)
        self.last_written = target
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(
                f"Exported for PyTorch into {target} (see its README.md)", 8000
            )
        return target

    @Slot()
    def export_figure(self) -> Path | None:
        """Ask for a PNG or SVG file and draw the current tab into it."""
        view = self.current_view()
        if view is None:
            return None
        start = Path(self._preferences.last_directory()) / f"{view}.png"
        target = ask_image_path(self._window(), start)
        if target is None:
            return None
        return self._run(view, target, animate=False)

    @Slot()
    def export_animation(self) -> Path | None:
        """Ask for a GIF (or, with ffmpeg, MP4) file and animate the current tab into it."""
        view = self.current_view()
        if view is None:
            return None
        filters = [GIF_FILTER]
        try:
            find_ffmpeg()
            filters.append(MP4_FILTER)
        except CliError:
            pass  # GIF only: MP4 needs ffmpeg
        start = Path(self._preferences.last_directory()) / f"{view}.gif"
        path, chosen = QFileDialog.getSaveFileName(
            self._window(), "Export animation of this view", str(start), ";;".join(filters)
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() not in (".gif", ".mp4"):
            target = target.with_name(target.name + (".mp4" if chosen == MP4_FILTER else ".gif"))
        if target.suffix.lower() == ".mp4" and MP4_FILTER not in filters:
            dialogs.show_error(self._window(), "Cannot export the animation", NO_FFMPEG)
            return None
        return self._run(view, target, animate=True)

    def _run(self, view: str, target: Path, animate: bool) -> Path | None:
        what = "animation" if animate else "figure"
        window = self._window()
        try:
            project = self.project_in_memory()
            options = slide_options(view)
            if animate:
                written = self._animate(project, target, options)
                if written is None:
                    return None
            else:
                self._draw(project, target, options)
        except (CliError, OSError, ValueError, RuntimeError) as exc:
            dialogs.show_error(window, f"Cannot export the {what}", f"{target}: {exc}")
            return None
        self._preferences.set_last_directory(target.parent)
        self.last_written = target
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Saved the {what} of this view as {target}", 8000)
        return target

    def _draw(self, project: Project, target: Path, options: FigureOptions) -> None:
        from app.ui.shell.figure import render_figure

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            render_figure(project, target, options)
        finally:
            QApplication.restoreOverrideCursor()

    def _animate(self, project: Project, target: Path, options: FigureOptions) -> Path | None:
        """Animate with a progress dialog; None when cancelled (nothing written)."""
        from app.ui.shell.animation import Cancelled, render_animation

        dialog = QProgressDialog("Preparing the view…", "Cancel", 0, 0, self._window())
        dialog.setWindowTitle("Export animation")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()  # at once: building and posing the view takes a second before frame 1
        QApplication.processEvents()
        progress = _Progress(dialog)
        try:
            render_animation(project, target, options, progress)
        except Cancelled:
            return None
        finally:
            dialog.reset()
            dialog.deleteLater()
        return target


class _Progress:
    """Tells the dialog how many frames are drawn; False once Cancel was pressed."""

    def __init__(self, dialog: QProgressDialog) -> None:
        self.dialog = dialog

    def __call__(self, done: int, total: int) -> bool:
        d = self.dialog
        d.setMaximum(max(total, 1))
        d.setValue(done)
        d.setLabelText(f"Drawing frame {min(done + 1, total)} of {total}…")
        QApplication.processEvents()
        return not d.wasCanceled()
