"""The open document: the current :class:`Project`, its file and whether it has unsaved work.

The document knows nothing about training or widgets; it only holds the project and
announces when it is replaced (New, Open), edited, renamed or (un)modified.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.data import Preset, load_preset
from app.project import Project

DEFAULT_PRESET = "dinner"
STOP_KEY = "stop_condition"
SELECTION_KEY = "selected_sequence"


def project_from_preset(preset: Preset) -> Project:
    """A fresh, untrained project with the preset's text, settings and explanation."""
    data = preset.data()
    return Project.from_text(
        preset.text,
        preset.tokenizer.to_string(),
        model=preset.settings.model_config(len(data.vocabulary)),
        train=preset.settings.train_config(),
        title=preset.title,
        description=preset.description,
        preset=preset.name,
        ui={STOP_KEY: {"kind": "epochs", "value": preset.settings.epochs}},
    )


def default_project() -> Project:
    """What the app opens with: the ``dinner`` preset, ready to train."""
    return project_from_preset(load_preset(DEFAULT_PRESET))


def empty_project() -> Project:
    """A project with no text yet (not trainable until the learner types sequences)."""
    return Project(text="", tokenizer="words", title="", description="")


def stop_condition(project: Project) -> tuple[str, float]:
    """The stop condition stored in the project's view state, checked; default none."""
    raw: Any = project.ui.get(STOP_KEY)
    if not isinstance(raw, dict):
        return "none", 0.0
    kind, value = raw.get("kind"), raw.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "none", 0.0
    if kind in ("none", "epochs", "loss", "accuracy") and 0 <= value < 1e300:
        return str(kind), float(value)
    return "none", 0.0


def with_ui(project: Project, key: str, value: Any) -> Project:
    """``project`` with one view-state entry changed (the project is otherwise shared)."""
    return replace(project, ui={**project.ui, key: value})


class Document(QObject):
    """The current project, the file it lives in (None = untitled) and the modified flag.

    Signals
    -------
    replaced
        A different project was created or opened: every view reloads from it.
    edited
        The project's settings or text changed in place (the same document).
    modified_changed(bool)
        Unsaved work appeared or was saved.
    path_changed
        The file name changed (Save As, Open).
    about_to_save(Project)
        The project is about to be written: a view that keeps state outside it (the
        second model of "RNN vs LSTM") stores that state into it now.
    """

    replaced = Signal()
    edited = Signal()
    modified_changed = Signal(bool)
    path_changed = Signal()
    about_to_save = Signal(object)

    def __init__(self, project: Project, path: Path | None = None) -> None:
        super().__init__()
        self._project = project
        self._path = path
        self._modified = False

    @property
    def project(self) -> Project:
        return self._project

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def modified(self) -> bool:
        return self._modified

    def display_name(self) -> str:
        """The file name, or ``Untitled — <preset>`` for a project never saved."""
        if self._path is not None:
            return self._path.name
        name = self._project.preset or self._project.title
        return f"Untitled \u2014 {name}" if name else "Untitled"

    def replace(self, project: Project, path: Path | None = None) -> None:
        """Switch to another project (New, Open); it starts unmodified."""
        self._project = project
        self._path = path
        self.replaced.emit()
        self.path_changed.emit()
        self.set_modified(False)

    def update(self, project: Project, modified: bool = True) -> None:
        """The same document with edited content (settings, text, view state)."""
        self._project = project
        self.edited.emit()
        if modified:
            self.set_modified(True)

    def store_ui(self, key: str, value: Any) -> None:
        """Keep a view's selections in ``project.ui[key]``: saved with the project, but
        not an unsaved change by themselves (nothing happens when they are unchanged)."""
        if self._project.ui.get(key) != value:
            self.update(with_ui(self._project, key, value), modified=False)

    def saved_as(self, path: Path) -> None:
        """The project was just written to ``path``."""
        if path != self._path:
            self._path = path
            self.path_changed.emit()
        self.set_modified(False)

    def set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)
