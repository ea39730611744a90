"""The project's one experiment on the mechanism, shared by every view that shows it.

An :class:`~app.engine.intervene.Intervention` (a gate held fixed, units knocked out,
the memory wiped) changes how the trained network runs, never its weights.  It lives in
``project.ui["experiment"]`` (saved with the project, restored on open) and this holder
announces when it changes.  Saved data that cannot be read, or that does not fit the
model, is ignored (the rest of the project opens as saved).  When the model changes so
that the experiment no longer fits (a clamp on *forget* and the kind becomes GRU, a
knocked-out unit past the new hidden size) the experiment is cleared and
:attr:`Experiment.dropped` says why.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from app.engine.config import ModelConfig
from app.engine.intervene import (
    Intervention,
    InterventionError,
    check_fits,
    intervention_from_dict,
    intervention_to_dict,
)
from app.ui.document.document import Document

KEY = "experiment"
NONE = Intervention()


class Experiment(QObject):
    """The current :class:`Intervention` of the open project (empty: the network as trained).

    One per document (:meth:`of`); a child of the document, which it reaches through
    ``parent()`` (no Python reference back, so no cycle).

    Signals
    -------
    changed
        The experiment is another one (set, cleared, or another project opened).
    dropped(str)
        The experiment was cleared or ignored because it does not fit the model (or the
        saved one could not be read): the message says what and why, in one line.
    """

    changed = Signal()
    dropped = Signal(str)

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self._intervention = NONE
        self._config: ModelConfig | None = None
        document.replaced.connect(self._on_replaced)
        document.edited.connect(self._on_edited)
        self._load(announce=False)

    @classmethod
    def of(cls, document: Document) -> Experiment:
        """The document's experiment (made the first time it is asked for)."""
        found: Experiment | None = getattr(document, "_experiment", None)
        if found is None:
            found = cls(document)
            document._experiment = found  # type: ignore[attr-defined]
        return found

    @property
    def document(self) -> Document:
        parent = self.parent()
        assert isinstance(parent, Document)
        return parent

    @property
    def intervention(self) -> Intervention:
        return self._intervention

    @property
    def config(self) -> ModelConfig:
        """The model the experiment is made on (the project's)."""
        return self.document.project.model

    def fitting(self, config: ModelConfig) -> Intervention | None:
        """The experiment if there is one and it fits the network ``config`` describes
        (the network in use may briefly be another while the model changes), else None."""
        iv = self._intervention
        if iv.is_empty:
            return None
        try:
            check_fits(iv, config)
        except InterventionError:
            return None
        return iv

    def set(self, intervention: Intervention) -> None:
        """Make ``intervention`` the experiment; :class:`InterventionError` if it does not
        fit the model (nothing changes then)."""
        check_fits(intervention, self.config)
        if intervention == self._intervention:
            return
        self._intervention = intervention
        self._store()
        self.changed.emit()

    def clear(self) -> None:
        """Back to the network as trained."""
        self.set(NONE)

    # -- keeping it in the project ----------------------------------------------------------
    def _store(self) -> None:
        iv = self._intervention
        self.document.store_ui(KEY, None if iv.is_empty else intervention_to_dict(iv))

    def _load(self, announce: bool) -> None:
        project = self.document.project
        self._config = project.model
        raw = project.ui.get(KEY)
        loaded = NONE
        if raw is not None:
            try:
                loaded = intervention_from_dict(raw)
                check_fits(loaded, project.model)
            except InterventionError as exc:
                loaded = NONE
                if announce:
                    self.dropped.emit(f"The saved experiment was not used: {exc}.")
        if loaded != self._intervention:
            self._intervention = loaded
            self.changed.emit()

    @Slot()
    def _on_replaced(self) -> None:
        self._load(announce=True)

    @Slot()
    def _on_edited(self) -> None:
        config = self.document.project.model
        if config == self._config:
            return
        self._config = config
        iv = self._intervention
        try:
            check_fits(iv, config)
        except InterventionError as exc:
            lines = "; ".join(iv.describe())
            self._intervention = NONE
            self._store()
            self.changed.emit()
            self.dropped.emit(f"Experiment cleared ({lines}): {exc}.")
