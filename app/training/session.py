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
import math
from collections.abc import Iterable
from dataclasses import replace

from app.analysis.columns import MetricColumns
from app.analysis.sequence_view import SequenceView, make_sequence_view, noun_of
from app.data.dataset import SequenceData
from app.engine.history import History
from app.engine.params import ParamSet
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
        self.start_id = 0  # counts resets: snapshot 0's weights are the same until the next
        self._good = self._remember()

    @functools.cached_property
    def columns(self) -> MetricColumns:
        """Built when first asked for: the window draws them, the process never asks."""
        return MetricColumns.of(self.trainer.history)

    @classmethod
    def from_project(cls, project: Project, measure_start: bool = True) -> Session:
        """Raises DataError/ValueError (from the project) when it cannot be trained.

        ``measure_start=False`` (the window's copy, and the training process's): the
        metrics of a fresh trainer's snapshot 0 are not measured now, which takes seconds
        for a big model; see :attr:`unmeasured`.
        """
        return cls(project.make_trainer(measure_start), project.data())

    def as_project(self, project: Project) -> Project:
        """``project`` with this trainer's state and settings (to start a process from)."""
        copy = replace(project)
        if self.unmeasured is not None and self._pristine():
            # Fresh from the seed: the process builds exactly this trainer.
            copy.train, copy.trainer_state = self.trainer.train_config, None
            return copy
        # Snapshot 0's metrics, if still unmeasured, follow (the controller sends them).
        copy.capture(self.trainer)
        return copy

    def reset(self) -> None:
        """Back to the seed's initial weights, with an empty history."""
        self.trainer.reset()
        self.start_id += 1
        self.__dict__.pop("columns", None)  # new ones, for the new history
        self._good = self._remember()

    # -- snapshot 0's metrics, measured late ---------------------------------------------
    @property
    def unmeasured(self) -> Snapshot | None:
        """Snapshot 0 while its metrics are still to be measured (else None)."""
        store = self.trainer.snapshots
        snapshot = store.get(0) if 0 in store else None
        return snapshot if snapshot is not None and "train_loss" not in snapshot.metrics else None

    def measure(self, snapshot: Snapshot) -> dict[str, float]:
        """``snapshot``'s metrics.  Safe on another thread: it reads only the snapshot's
        read-only weights and the sequences, which never change."""
        t = self.trainer
        return t.metrics_of(ParamSet(t.params.shapes, t.params.dtype, snapshot.weights))

    def take_start_metrics(self, start_id: int, metrics: dict[str, float]) -> None:
        """Snapshot 0's metrics, measured (as of reset ``start_id``) since it was built."""
        if start_id != self.start_id or self.unmeasured is None:
            return  # reset since, or measured already
        store, score = self.trainer.snapshots, self.trainer.score(metrics)
        measured = replace(store.get(0), metrics={**metrics, "score": float(score)})
        best = store.best_epoch
        # As if measured first: epoch 0 is the best unless a later epoch scored lower
        # (the training process trains before these metrics reach it).
        if math.isfinite(score) and score <= _score_of(store.snapshots(), best):
            best = 0
        store.restore(
            [measured if s.epoch == 0 else s for s in store.snapshots()], store.stride, best
        )
        epoch, good, stride, good_best = self._good
        good = tuple(measured if s.epoch == 0 else s for s in good)
        if math.isfinite(score) and score <= _score_of(good, good_best):
            good_best = 0
        self._good = (epoch, good, stride, good_best)

    def measure_now(self) -> None:
        """Snapshot 0's metrics, here and now, if they are still missing."""
        snapshot = self.unmeasured
        if snapshot is not None:
            self.take_start_metrics(self.start_id, self.measure(snapshot))

    def _pristine(self) -> bool:
        t = self.trainer
        return (t.epoch, t.total_updates, t.optimizer.steps, t.cursor) == (0, 0, 0, None)

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
            t.network,
            t.params,
            self.data.ids[i],
            self.data.tokens[i],
            vocabulary,
            i,
            t.epoch,
            noun=noun_of(self.data),
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


def _score_of(snapshots: Iterable[Snapshot], epoch: int | None) -> float:
    """The score of ``epoch`` among ``snapshots`` (infinite when it is not there)."""
    return next((s.metrics.get("score", math.inf) for s in snapshots if s.epoch == epoch), math.inf)
