"""New, Open, Save, Save As and Export: the file dialogs and what happens around them.

Every load or save error is shown in a dialog with the project layer's message; the
current project stays as it was and the app keeps running.  Saving first captures the
trainer's exact state into the project, then writes it atomically.  Text edits waiting to
be applied (see :mod:`app.ui.document.edits`) are saved next to the trained model and the
text it was trained on, and wait again when the file is opened: a save changes nothing.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.data import PresetError, SequenceMode, load_preset
from app.engine.trainer import EpochReport
from app.project import FILE_EXTENSION, Project, ProjectFileError, load_project, save_project
from app.ui.document.document import Document, default_project, empty_project, project_from_preset
from app.ui.document.edits import PENDING_KEY, ProjectEdits
from app.ui.document.preferences import Preferences
from app.ui.shell import dialogs, help_text
from app.ui.shell.image_export import ask_and_export

if TYPE_CHECKING:
    from app.training.controller import TrainingController

PROJECT_FILTER = f"LSTM Playground projects (*{FILE_EXTENSION})"
CSV_FILTER = "CSV table (*.csv)"
HISTORY_COLUMNS = (
    "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
    "grad_norm", "elapsed", "learning_rate",
)  # fmt: skip


class Exportable(Protocol):
    def export_image(self, path: str) -> None: ...


class FileFlows(QObject):
    """The document's file operations, with their dialogs; ``window`` parents them."""

    recent_changed = Signal()

    def __init__(
        self,
        window: QWidget,
        document: Document,
        controller: TrainingController,
        edits: ProjectEdits,
        preferences: Preferences,
        before_save: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._document = document
        self._controller = controller
        self._edits = edits
        self._prefs = preferences
        self._before_save = before_save

    # -- unsaved work ------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded or clean)."""
        if not self._document.modified:
            return True
        choice = dialogs.ask_save_changes(self._window, self._document.display_name())
        if choice is dialogs.SaveChoice.SAVE:
            return self.save()
        return choice is dialogs.SaveChoice.DISCARD

    # -- new and open ---------------------------------------------------------------------
    def new_empty(self, sequences: SequenceMode = "lines") -> bool:
        if not self.maybe_save():
            return False
        self._document.replace(empty_project(sequences))
        return True

    def new_from_preset(self, name: str) -> bool:
        if not self.maybe_save():
            return False
        try:
            project = project_from_preset(load_preset(name))
        except PresetError as exc:
            dialogs.show_error(self._window, "Cannot load the example", str(exc))
            return False
        self._document.replace(project)
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open project", self._prefs.last_directory(), PROJECT_FILTER
        )
        return bool(path) and self.open_path(Path(path), ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        """Open ``path``; on failure an error dialog, and the current project stays."""
        if ask and not self.maybe_save():
            return False
        try:
            project = load_project(path)
        except ProjectFileError as exc:
            dialogs.show_error(self._window, "Cannot open the project", str(exc))
            return False
        self._controller.pause()
        self._document.replace(project, path)
        self._remember(path)
        return True

    def open_initial(self, path: Path | None) -> Callable[[], None] | None:
        """Start-up: open ``path`` or the default project.

        Returns a callable that shows the load error (after the window is visible), or
        None when everything opened.
        """
        if path is None:
            self._document.replace(default_project())
            return None
        try:
            project: Project = load_project(path)
        except ProjectFileError as exc:
            self._document.replace(default_project())
            message = f"{exc}\n\nThe default example opens instead."
            return lambda: dialogs.show_error(self._window, "Cannot open the project", message)
        self._document.replace(project, path)
        self._remember(path)
        return None

    # -- save ----------------------------------------------------------------------------
    def save(self) -> bool:
        path = self._document.path
        return self.save_as() if path is None else self.write(path)

    def save_as(self) -> bool:
        suggested = self._document.path or Path(self._prefs.last_directory()) / (
            (self._document.project.preset or "untitled") + FILE_EXTENSION
        )
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Save project as", str(suggested), PROJECT_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != FILE_EXTENSION:
            target = target.with_name(target.name + FILE_EXTENSION)
        return self.write(target)

    def write(self, path: Path) -> bool:
        """Capture the trainer into the project and save it atomically to ``path``."""
        self._before_save()
        if not self._edits.trainable:
            message = help_text.NOTHING_TO_SAVE.format(problem=self._edits.data_error)
            dialogs.show_error(self._window, "Cannot save the project", message)
            return False
        project = self._document.project
        try:
            self._controller.capture_into(project)
            self._document.about_to_save.emit(project)
            save_project(self._with_pending(project), path)
        except (ProjectFileError, RuntimeError, ValueError) as exc:
            dialogs.show_error(self._window, "Cannot save the project", str(exc))
            return False
        self._document.saved_as(path)
        self._remember(path)
        return True

    def _with_pending(self, project: Project) -> Project:
        """``project`` plus the text edits not applied yet (kept in its view state)."""
        if self._edits.pending is None:
            return project
        text, tokenizer, sequences = self._edits.pending
        pending = {"text": text, "tokenizer": tokenizer, "sequences": sequences}
        ui = {**project.ui, PENDING_KEY: pending}
        return replace(project, ui=ui)

    # -- export --------------------------------------------------------------------------
    def export_plot(self, widget: Exportable, name: str) -> bool:
        start = Path(self._prefs.last_directory()) / f"{name}.png"
        target = ask_and_export(self._window, start, widget.export_image)
        if target is None:
            return False
        self._prefs.set_last_directory(target.parent)
        return True

    def export_history(self) -> bool:
        start = Path(self._prefs.last_directory()) / "history.csv"
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Export training history", str(start), CSV_FILTER
        )
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        try:
            write_history_csv(target, self._controller.history())
        except OSError as exc:
            dialogs.show_error(self._window, "Cannot export the history", f"{target}: {exc}")
            return False
        self._prefs.set_last_directory(target.parent)
        return True

    def _remember(self, path: Path) -> None:
        self._prefs.add_recent_file(path)
        self._prefs.set_last_directory(path.resolve().parent)
        self.recent_changed.emit()


def write_history_csv(path: Path, reports: Sequence[EpochReport]) -> None:
    """One row per epoch; empty cells for missing validation, ``nan``/``inf`` kept."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HISTORY_COLUMNS)
        for r in reports:
            writer.writerow([_cell(getattr(r, c)) for c in HISTORY_COLUMNS])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)
