"""Turning the learner's edits into a new project for the controller, asking before resets.

Which settings apply live and which rebuild the model:

* **live** (the trained model is kept): learning rate, stop condition, the selected
  sequence and the plot refresh rate;
* **reset** (fresh weights from the seed): the text, the tokeniser, how the text is
  read (one sequence per line or one stream), the truncation window, the model kind,
  hidden size and number type, the optimiser (its state has a different shape), batch
  size and clipping (they change what one update is, so the loss curve would no longer
  be one experiment), the seed and the validation split (they change which lines train).

Settings that reset ask first.  Text, tokeniser and reading-mode edits never ask and
never reset on their own: while there is a trained model they wait as *pending edits*
(the editor shows them, training and saving keep the trained model and its text) until
the learner applies them with a button.  Typing can therefore never throw a model
away.  Every reset keeps the model it replaced: :meth:`ProjectEdits.undo_reset` brings
it back (text, weights, history), :meth:`ProjectEdits.redo_reset` goes forward again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Signal

from app.data import DEFAULT_STREAM_WINDOW, SEQUENCE_MODES, DataError, SequenceMode
from app.engine.config import ConfigError, TrainConfig
from app.project import Project
from app.ui.document.document import SELECTION_KEY, STOP_KEY, Document, stop_condition, with_ui

if TYPE_CHECKING:
    from app.training.controller import TrainingController

PENDING_KEY = "pending_edits"
"""``project.ui`` key under which a save keeps text edits not applied yet."""
MODEL_FIELDS = frozenset({"kind", "hidden_size", "dtype", "clamp", "bias_init"})
TRAIN_FIELDS = frozenset(
    {"optimizer", "batch_size", "clip_norm", "validation_split", "tbptt_window"}
)


class TextEdit(NamedTuple):
    """What the sequences editor proposes: the text, its tokeniser and how it is read."""

    text: str
    tokenizer: str
    sequences: SequenceMode = "lines"


def train_for_mode(train: TrainConfig, old: SequenceMode, new: SequenceMode) -> TrainConfig:
    """``train`` fit for reading the text as ``new`` after ``old``: a stream needs a
    window (:data:`~app.data.DEFAULT_STREAM_WINDOW` unless one is set); back to lines,
    whole lines again (window 0, as lines mode always trained)."""
    if new == old:
        return train
    if new == "stream":
        if train.tbptt_window >= 1:
            return train
        return replace(train, tbptt_window=DEFAULT_STREAM_WINDOW)
    return replace(train, tbptt_window=0)


class ProjectEdits(QObject):
    """Applies edits to the document and the training controller.

    Signals
    -------
    applied
        A (new or reloaded) project is in the controller: history, sequences and views
        should be read again.
    trainable_changed(bool)
        Whether the current text can be trained on.
    settings_error(str)
        The engine refused a setting (the message), or ``""`` once a change succeeded.
    pending_changed
        Text edits started or stopped waiting to be applied (see :attr:`pending`).
    undo_changed
        A reset can (no longer) be undone or redone.
    restored
        An undo or redo of a reset put another project back: the editor shows its text.
    """

    applied = Signal()
    trainable_changed = Signal(bool)
    settings_error = Signal(str)
    pending_changed = Signal()
    undo_changed = Signal()
    restored = Signal()

    def __init__(
        self,
        document: Document,
        controller: TrainingController,
        ask_reset: Callable[[], bool],
    ) -> None:
        super().__init__()
        self._document = document
        self._controller = controller
        self._ask_reset = ask_reset
        self._trainable = False
        self._data_error = ""
        self._pending: TextEdit | None = None
        self._undo: Project | None = None  # the model the last reset replaced
        self._redo: Project | None = None  # the model an undo replaced
        document.replaced.connect(self._on_replaced)

    # -- state --------------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def data_error(self) -> str:
        """Why the current text cannot be trained on ("" when it can)."""
        return self._data_error

    def is_trained(self) -> bool:
        """Is there a model that a reset would lose (trained, or training now)?"""
        return self._controller.epoch > 0 or self._controller.state != "idle"

    def confirm_reset(self) -> bool:
        """Ask before throwing away a trained model; True when it is fine to go on."""
        return not self.is_trained() or self._ask_reset()

    @property
    def pending(self) -> TextEdit | None:
        """Text, tokeniser and mode chosen while a model is trained, not applied yet."""
        return self._pending

    # -- edits that rebuild the model -------------------------------------------------
    def propose_text(
        self, text: str, tokenizer: str, sequences: SequenceMode | None = None
    ) -> bool:
        """The editor's text, tokeniser and mode (None: the project's): applied at once,
        or kept pending.

        With a trained model, edits that change the data wait (nothing resets) until
        :meth:`apply_pending`; edits that come back to the project's own text end the
        wait.  Returns False when applied edits are unusable.
        """
        p = self._document.project
        edit = TextEdit(text, tokenizer, p.sequences if sequences is None else sequences)
        if edit != (p.text, p.tokenizer, p.sequences) and self.is_trained():
            self._set_pending(edit)
            return True
        self._set_pending(None)
        return self.apply_text(*edit)

    def apply_pending(self) -> bool:
        """Apply the pending edits: the model resets (Undo brings it back)."""
        if self._pending is None:
            return True
        edit = self._pending
        self._keep_for_undo()
        self._controller.reset()  # even if the new text turns out unusable
        self._set_pending(None)
        return self.apply_text(*edit)

    def discard_pending(self) -> None:
        """Forget the pending edits (the editor puts the project's text back)."""
        self._set_pending(None)

    def reset_model(self) -> None:
        """Training ▸ Reset: back to the seed's weights, undoable."""
        self._keep_for_undo()
        self._controller.reset()
        self.applied.emit()

    def can_undo_reset(self) -> bool:
        return self._undo is not None

    def can_redo_reset(self) -> bool:
        return self._redo is not None

    def undo_reset(self) -> bool:
        """Put back the project and trained model the last reset replaced."""
        return self._swap("_undo", "_redo")

    def redo_reset(self) -> bool:
        """Go forward again to the project an undo replaced."""
        return self._swap("_redo", "_undo")

    def apply_text(self, text: str, tokenizer: str, sequences: SequenceMode | None = None) -> bool:
        """New sequences, tokeniser or mode (None: the project's); False when unusable.

        Reading the text as a stream sets a truncation window if there was none;
        reading it as lines again trains whole lines (see :func:`train_for_mode`).
        """
        p = self._document.project
        mode = p.sequences if sequences is None else sequences
        if (text, tokenizer, mode) == (p.text, p.tokenizer, p.sequences) and self._trainable:
            return True
        train = train_for_mode(p.train, p.sequences, mode)
        try:
            new = Project.from_text(
                text, tokenizer, model=p.model, train=train, seed=p.seed, sequences=mode,
                title=p.title, description=p.description, preset=p.preset,
                ui={k: v for k, v in p.ui.items() if k != SELECTION_KEY},
            )  # fmt: skip
        except (DataError, ConfigError) as exc:
            problem: str | None = str(exc)
        else:
            problem = self._try_install(new)
            if problem is None:
                return True
        # Kept (it is the learner's work, and a save keeps it) but not trainable as it is.
        kept = replace(p, text=text, tokenizer=tokenizer, sequences=mode, train=train,
                       trainer_state=None, rival=None)  # fmt: skip
        self._document.update(kept)
        self._set_trainable(False, str(problem))
        return False

    def change_settings(self, **changes: Any) -> bool:
        """Change model/training fields or the seed; asks first, False when refused.

        Keys are :data:`MODEL_FIELDS`, :data:`TRAIN_FIELDS` and ``seed``.  A value the
        engine refuses is reported through :attr:`settings_error`, nothing changes.
        """
        p = self._document.project
        unknown = set(changes) - MODEL_FIELDS - TRAIN_FIELDS - {"seed"}
        if unknown:
            raise TypeError(f"not a setting: {', '.join(sorted(unknown))}")
        try:
            model = replace(p.model, **{k: v for k, v in changes.items() if k in MODEL_FIELDS})
            train = replace(p.train, **{k: v for k, v in changes.items() if k in TRAIN_FIELDS})
            seed = int(changes.get("seed", p.seed))
            new = replace(p, model=model, train=train, seed=seed, trainer_state=None)
        except (ConfigError, DataError) as exc:  # DataError: a stream without a window
            self.settings_error.emit(str(exc))
            return False
        if (model, train, seed) == (p.model, p.train, p.seed):
            return True
        if not self.confirm_reset():
            return False
        self._keep_for_undo()
        if not self._trainable:
            try:
                new.data()
            except DataError:  # nothing to train yet: just remember the settings
                self._document.update(new)
                self.settings_error.emit("")
                return True
        return self._install(new)  # the text is fine: these settings may make it trainable

    # -- live edits -------------------------------------------------------------------
    def set_learning_rate(self, lr: float) -> None:
        p = self._document.project
        if lr == p.train.learning_rate:
            return
        try:
            train = replace(p.train, learning_rate=float(lr))
        except ConfigError as exc:
            self.settings_error.emit(str(exc))
            return
        self._controller.set_learning_rate(train.learning_rate)
        self._document.update(replace(p, train=train))

    def set_stop_condition(self, kind: str, value: float) -> None:
        p = self._document.project
        if stop_condition(p) == (kind, float(value)):
            return
        self._controller.set_stop_condition(kind, value)
        self._document.update(with_ui(p, STOP_KEY, {"kind": kind, "value": value}))

    def select_sequence(self, index: int) -> None:
        self._controller.set_selected_sequence(index)
        self._document.store_ui(SELECTION_KEY, index)

    # -- internals --------------------------------------------------------------------
    def _install(self, project: Project) -> bool:
        """Hand ``project`` to the controller; on success it becomes the document's."""
        return self._try_install(project) is None

    def _try_install(self, project: Project) -> str | None:
        """:meth:`_install`, returning why the controller refused ``project`` (or None)."""
        try:
            self._controller.set_project(project)
        except (DataError, ConfigError, ValueError) as exc:
            self.settings_error.emit(str(exc))
            return str(exc)
        self._document.update(project)
        self._after_install(project)
        return None

    def _after_install(self, project: Project) -> None:
        kind, value = stop_condition(project)
        self._controller.set_stop_condition(kind, value)
        selected = project.ui.get(SELECTION_KEY, 0)
        self._controller.set_selected_sequence(selected if isinstance(selected, int) else 0)
        self.settings_error.emit("")
        self._set_trainable(True, "")
        self.applied.emit()

    def _keep_for_undo(self) -> None:
        """Remember the current project with its trained model, for :meth:`undo_reset`."""
        if not self.is_trained():
            return
        self._controller.pause()
        kept = replace(self._document.project)
        try:
            self._controller.capture_into(kept)
        except RuntimeError:  # the process lost it: there is nothing left to keep
            return
        self._undo, self._redo = kept, None
        self.undo_changed.emit()

    def _swap(self, take: str, keep: str) -> bool:
        target: Project | None = getattr(self, take)
        if target is None:
            return False
        self._controller.pause()
        current = replace(self._document.project)
        try:
            self._controller.capture_into(current)
        except RuntimeError:
            current.trainer_state = None
        if self._try_install(replace(target)) is not None:
            return False
        setattr(self, take, None)
        setattr(self, keep, current)
        self._set_pending(None)
        self.restored.emit()
        self.undo_changed.emit()
        return True

    def _set_pending(self, pending: TextEdit | None) -> None:
        if pending != self._pending:
            self._pending = pending
            if pending is not None:  # typed work: closing without saving asks first
                self._document.set_modified(True)
            self.pending_changed.emit()

    def _on_replaced(self) -> None:
        self._undo = self._redo = None
        self.undo_changed.emit()
        project = self._document.project
        stored = project.ui.get(PENDING_KEY)
        if stored is not None:  # kept by a save: waiting again, not part of the project
            project = replace(project, ui={k: v for k, v in project.ui.items() if k != PENDING_KEY})
            self._document.update(project, modified=False)
        self._pending = None
        if (
            isinstance(stored, dict)
            and isinstance(stored.get("text"), str)
            and isinstance(stored.get("tokenizer"), str)
            and stored.get("sequences", project.sequences) in SEQUENCE_MODES
            and project.trainer_state is not None
        ):
            mode = stored.get("sequences", project.sequences)
            self._pending = TextEdit(stored["text"], stored["tokenizer"], mode)
        self.pending_changed.emit()
        try:
            project.data()
        except DataError as exc:
            self._controller.pause()
            self._set_trainable(False, str(exc))
            self.applied.emit()
            return
        try:
            self._controller.set_project(project)
        except (DataError, ConfigError, ValueError) as exc:  # e.g. a batch too big to train
            self._set_trainable(False, str(exc))
            self.settings_error.emit(str(exc))  # shown by the settings, which can fix it
            self.applied.emit()
            return
        self._after_install(project)

    def _set_trainable(self, trainable: bool, error: str) -> None:
        self._data_error = error
        if trainable != self._trainable:
            self._trainable = trainable
            self.trainable_changed.emit(trainable)
