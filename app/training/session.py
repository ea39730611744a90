"""One project's trainer and sequences, as the training process and the window hold them.

The training process trains its :class:`Session`.  The window keeps one too, which never
trains: it takes in the process's frames (reports and new snapshots) and, at the end of
every run and for Save, its checkpoints (weights, optimiser and generator state), so
between runs it is the process's trainer exactly.  That copy is what Save writes, what
the exploring tabs read their snapshots from, and where the model goes back to if the
process dies.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from app.analysis.columns import MetricColumns
from app.analysis.sequence_view import SequenceView, make_sequence_view
from app.data.dataset import SequenceData
from app.engine.history import History
from app.engine.snapshots import Snapshot
from app.engine.trainer import Trainer, TrainerState
from app.project.project import Project
from app.training.frames import Frame
from app.training.messages import SnapshotsNow


class Session:
    """A trainer, the sequences its views are drawn from, and its history as the columns
    every curve draws (:class:`MetricColumns`, kept in step with the reports)."""

    def __init__(self, trainer: Trainer, data: SequenceData) -> None:
        self.trainer = trainer
        self.data = data
        self._good = self._remember()

    @functools.cached_property
    def columns(self) -> MetricColumns:
        """Built when first asked for: the window draws them, the process never asks."""
        return MetricColumns.of(self.trainer.history)

    @classmethod
    def from_project(cls, project: Project) -> Session:
        """Raises DataError/ValueError (from the project) when it cannot be trained."""
        return cls(project.make_trainer(), project.data())

    def as_project(self, project: Project) -> Project:
        """``project`` with this trainer's state and settings (to start a process from)."""
        copy = replace(project)
        copy.capture(self.trainer)
        return copy

    def reset(self) -> None:
        """Back to the seed's initial weights, with an empty history."""
        self.trainer.reset()
        self.__dict__.pop("columns", None)  # new ones, for the new history
        self._good = self._remember()

    # -- views ------------------------------------------------------------------------
    def clamp(self, index: int) -> int:
        return max(0, min(int(index), self.data.n_sequences - 1))

    def view(self, index: int) -> SequenceView | None:
        """Sequence ``index`` (clamped) at the current weights; copies only."""
        if self.data.n_sequences == 0:
            return None
        i, t = self.clamp(index), self.trainer
        vocabulary = self.data.vocabulary.symbols
        return make_sequence_view(
            t.network, t.params, self.data.ids[i], self.data.tokens[i], vocabulary, i, t.epoch
        )

    def full_frame(self, index: int) -> Frame:
        """The whole history and the current view: what the window shows after a (re)load."""
        t = self.trainer
        return Frame(tuple(t.history), t.epoch, self.view(index), False, replaces_history=True)

    # -- the training process's side ------------------------------------------------------
    def snapshots_now(self, known: set[int]) -> SnapshotsNow:
        """The store as it is, with the snapshots not in ``known`` (which becomes its epochs)."""
        store = self.trainer.snapshots
        stored = store.snapshots()
        new = tuple(s for s in stored if s.epoch not in known)
        known.clear()
        known.update(s.epoch for s in stored)
        return SnapshotsNow(new, tuple(s.epoch for s in stored), store.stride, store.best_epoch)

    def checkpoint(self) -> TrainerState:
        """The exact state without what the frames carried (history, snapshot weights)."""
        return self.trainer.export_state(history=False, snapshots=False)

    # -- the window's side ------------------------------------------------------------------
    def take_frame(self, frame: Frame, snapshots: SnapshotsNow) -> None:
        """The process trained on: its reports and snapshots join this copy's."""
        t, columns = self.trainer, self.columns  # the columns as of the reports before these
        t.history.add_all(frame.reports)
        columns.append_columns(frame.metrics)
        store = t.snapshots
        known = {s.epoch: s for s in store.snapshots()}
        known.update((s.epoch, s) for s in snapshots.new)
        store.restore([known[e] for e in snapshots.epochs], snapshots.stride, snapshots.best_epoch)

    def take_checkpoint(self, state: TrainerState) -> None:
        """The process's exact state (sent after every frame it refers to): this trainer
        becomes that trainer, and the place the model goes back to if the process dies.
        Its settings stay this side's: the window is where they change."""
        t, store = self.trainer, self.trainer.snapshots
        snaps = [store.get(e) for e in state.snapshot_epochs]
        full = replace(
            state,
            snapshot_weights=[s.weights for s in snaps],
            snapshot_metrics=[dict(s.metrics) for s in snaps],
        )
        t.load_state(full, keep_history=True)
        self._good = self._remember()

    def roll_back(self) -> None:
        """Back to the last checkpoint: the process that trained past it is gone."""
        epoch, snapshots, stride, best = self._good
        t = self.trainer
        t.snapshots.restore(list(snapshots), stride, best)
        kept = [r for r in t.history if r.epoch <= epoch]
        if len(kept) != len(t.history):
            t.history = History(kept, t.history.capacity, t.history.stride)
            self.__dict__.pop("columns", None)  # new ones, for the history rolled back

    def _remember(self) -> tuple[int, tuple[Snapshot, ...], int, int | None]:
        store = self.trainer.snapshots
        return self.trainer.epoch, tuple(store.snapshots()), store.stride, store.best_epoch
