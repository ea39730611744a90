"""The open document: the current :class:`Project`, its file and whether it has unsaved work.

The document knows nothing about training or widgets; it only holds the project and
announces when it is replaced (New, Open), edited, renamed or (un)modified.

It also keeps one rule (:func:`follow_preset`): a project is "the dinner preset" only
while its text is the preset's.  Once the learner's text differs, it is theirs: no
preset, no title, and a description saying where it started (so the window title, Save
As and the file no longer call the learner's poem "dinner").  Undoing back to the
preset's text makes it the preset again.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.data import DEFAULT_STREAM_WINDOW, Preset, PresetError, SequenceMode, load_preset
from app.engine.config import TrainConfig
from app.project import Project

DEFAULT_PRESET = "dinner"
STOP_KEY = "stop_condition"
SELECTION_KEY = "selected_sequence"
STARTED_FROM_KEY = "started_from"
"""``project.ui`` entry: the preset a learner's own text started from (for Undo)."""
OWN_TEXT_DESCRIPTION = "Your own sequences, started from the example \u201c{title}\u201d."


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
        sequences=preset.settings.sequences,
        ui={STOP_KEY: {"kind": "epochs", "value": preset.settings.epochs}},
    )


def default_project() -> Project:
    """What the app opens with: the ``dinner`` preset, ready to train."""
    return project_from_preset(load_preset(DEFAULT_PRESET))


def empty_project(sequences: SequenceMode = "lines") -> Project:
    """A project with no text yet (not trainable until the learner types sequences); a
    stream reads the text by characters, in windows of the default length."""
    if sequences == "stream":
        train = TrainConfig(tbptt_window=DEFAULT_STREAM_WINDOW)
        return Project(text="", tokenizer="chars", title="", description="", train=train,
                       sequences="stream")  # fmt: skip
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


def follow_preset(project: Project) -> Project:
    """``project`` named as its text deserves: the preset's name, title and description
    while the text is the preset's (blank space at either end aside), the learner's own
    (none of them; ``ui[STARTED_FROM_KEY]`` remembers the preset) once it differs.

    A project whose preset is unknown to this version is left as it is.
    """
    origin = project.preset or project.ui.get(STARTED_FROM_KEY)
    if not isinstance(origin, str) or not origin:
        return project
    try:
        preset = load_preset(origin)
    except PresetError:
        return project
    if project.text.strip() == preset.text.strip():
        if project.preset == origin:
            return project
        ui = {k: v for k, v in project.ui.items() if k != STARTED_FROM_KEY}
        return replace(project, preset=origin, title=preset.title,
                       description=preset.description, ui=ui)  # fmt: skip
    if project.preset is None:
        return project
    return replace(
        project,
        preset=None,
        title="",
        description=OWN_TEXT_DESCRIPTION.format(title=preset.title),
        ui={**project.ui, STARTED_FROM_KEY: origin},
    )


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
        The name shown for the document changed: the file (Save As, Open), or an
        untitled project's text stopped (or started again) being a preset's.
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
        self._project = follow_preset(project)  # (a file may name a preset it left)
        self._path = path
        self.replaced.emit()
        self.path_changed.emit()
        self.set_modified(False)

    def update(self, project: Project, modified: bool = True) -> None:
        """The same document with edited content (settings, text, view state)."""
        name = self.display_name()
        if project.text != self._project.text:
            project = follow_preset(project)
        self._project = project
        self.edited.emit()
        if self.display_name() != name:
            self.path_changed.emit()
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
