"""The training loop as a generator: one immutable report per epoch, stoppable between updates.

The trainer knows nothing of threads or windows: the CLI, the tests and the training
process all drive :meth:`Trainer.run` the same way.  It stops after the current update
when :meth:`Trainer.request_stop` is called (from any thread, e.g. a Ctrl-C handler) or
when the ``should_stop`` callable given to :meth:`Trainer.run` says so (the training
process asks "has a command arrived?" between updates).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

from app.engine.batch import Batch, make_batch
from app.engine.bucketing import bucketed_order
from app.engine.config import MAX_COUNT, MAX_EPOCH, ModelConfig, TrainConfig
from app.engine.finite import nonfinite_weights
from app.engine.history import History
from app.engine.memory import (
    BatchTooBig,
    evaluation_chunks,
    stream_training_problem,
    training_problem,
)
from app.engine.network import LossStats, Network, State
from app.engine.optim import clip_global_norm, make_optimizer
from app.engine.params import ParamSet
from app.engine.snapshots import Snapshot, SnapshotStore, capacity_for
from app.engine.stream import (
    StreamLayout,
    evaluate_stream,
    stream_view,
    window_batch,
    zero_state,
)


@dataclass(frozen=True, slots=True)  # slots: 100k epochs of history stay small
class EpochReport:
    """What happened in one epoch (one pass over every training sequence).

    ``train_loss``/``train_accuracy`` average the epoch's updates, each measured on its
    batch just before that batch's update; validation is measured after the epoch.
    ``grad_norm`` is the mean global gradient norm before clipping.  ``stop_reason``
    is set (and the epoch is incomplete) when training had to stop, e.g. on a NaN loss.
    """

    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    grad_norm: float
    elapsed: float
    total_elapsed: float
    updates: int
    total_updates: int
    updates_per_second: float
    learning_rate: float
    stop_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the epoch in progress has got: what :meth:`Trainer.run` hands ``on_progress``.

    ``updates``/``symbols`` are done so far in epoch ``epoch`` (counted from its start,
    also across a stop and resume), out of ``updates_in_epoch``/``symbols_in_epoch``;
    ``train_loss``/``train_accuracy`` average the updates so far, measured like an
    :class:`EpochReport`'s; ``elapsed`` is the epoch's training time so far in seconds.
    """

    epoch: int
    updates: int
    updates_in_epoch: int
    symbols: int
    symbols_in_epoch: int
    train_loss: float
    train_accuracy: float
    elapsed: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Cursor:
    """Progress through the current epoch, so a stop mid-epoch resumes exactly."""

    order: np.ndarray  # (N,) sequence indices in this epoch's order
    next_batch: int = 0
    loss_sum: float = 0.0
    correct: int = 0
    n_tokens: int = 0
    grad_norm_sum: float = 0.0
    updates: int = 0
    elapsed: float = 0.0
    state: State | None = None  # stream mode: every stream's state before window next_batch


def seed_generators(seed: int) -> dict[str, np.random.Generator]:
    """Independent generators for initial weights, the validation split and training."""
    init, split, train = np.random.SeedSequence(seed).spawn(3)
    return {
        "init": np.random.default_rng(init),
        "split": np.random.default_rng(split),
        "train": np.random.default_rng(train),
    }


def initial_params(network: Network, seed: int) -> ParamSet:
    """The seed's initial weights: what a fresh trainer, and Reset, start from."""
    return network.init_params(seed_generators(seed)["init"])


class Trainer:
    """Owns the parameters, the optimiser, the generator, the history and the snapshots.

    ``stream=True``: the text is one sequence (:mod:`app.engine.stream`).
    ``train_sequences`` is then one id array (or a list of one) and ``val_sequences``
    none or one; an epoch is one pass over the text in windows of
    ``train.tbptt_window`` steps over ``batch_size`` streams, the state carried from
    window to window (zeros at the start of each epoch) and exact BPTT inside a window;
    nothing is shuffled.
    """

    def __init__(
        self,
        model: ModelConfig,
        train: TrainConfig,
        train_sequences: Sequence[np.ndarray],
        val_sequences: Sequence[np.ndarray] = (),
        seed: int = 0,
        measure_start: bool = True,
        stream: bool = False,
    ):
        """``measure_start=False``: snapshot 0 gets no metrics (nor a score) at
        construction and :meth:`reset`; whoever holds this trainer measures them later
        with :meth:`metrics_of` (a window's copy, off its GUI thread)."""
        if stream:
            train_sequences = _one_stream(train_sequences)
            val_sequences = _one_stream(val_sequences)
        if not train_sequences:
            raise ValueError("training needs at least one sequence")
        self.model_config = model
        self.train_config = train
        self.seed = seed
        self.network = Network(model)
        self.stream = stream
        self.train_sequences = [np.asarray(s, dtype=np.int64) for s in train_sequences]
        self.val_sequences = [np.asarray(s, dtype=np.int64) for s in val_sequences]
        if stream:
            self.layout = StreamLayout.of(
                len(self.train_sequences[0]), train.batch_size, train.tbptt_window
            )
            self._stream_train_view = stream_view(self.train_sequences[0], self.layout)
            longest = min(train.tbptt_window, self.layout.steps)  # the (W, n) batch
            too_big = stream_training_problem(self.network, self.layout.streams, longest)
        else:
            too_big = training_problem(
                self.network,
                train.batch_size,
                [len(s) for s in self.train_sequences],
                [len(s) for s in self.val_sequences],
            )
        if too_big is not None:  # before anything big is allocated (BatchTooBig: a ValueError)
            raise BatchTooBig(too_big[0].upper() + too_big[1:])
        self._stop_requested = False
        self.measure_start = measure_start
        self.reset()

    # -- set-up -----------------------------------------------------------------
    def reset(self) -> None:
        """Back to the seed's exact initial weights, a fresh optimiser and no history."""
        self.params: ParamSet = initial_params(self.network, self.seed)
        self.grads = self.params.zeros_like()
        self.optimizer = make_optimizer(
            self.params.buffer.size, self.params.dtype, self.train_config
        )
        self.rng = seed_generators(self.seed)["train"]
        # Weights and optimiser state before the latest update: restored if that update
        # made the loss non-finite, so a divergence never leaves garbage behind.
        self._before = self.params.buffer.copy()
        self._before_opt = {k: v.copy() for k, v in self.optimizer.state.items()}
        self._before_steps = 0
        self.epoch = 0
        self.total_updates = 0
        self.total_elapsed = 0.0
        self.history: History[EpochReport] = History()  # bounded: see history.py
        self.cursor: _Cursor | None = None
        n = self.params.buffer.size
        self.snapshots = SnapshotStore(capacity_for(n, self.params.dtype.itemsize))
        if self.measure_start:
            metrics = self._metrics_now()
            self.snapshots.add(0, self.params.buffer, metrics, self._score(metrics))
        else:
            self.snapshots.add(0, self.params.buffer, {}, float("nan"))

    def set_learning_rate(self, lr: float) -> None:
        """Applies from the next update on; the model is untouched."""
        self.train_config = replace(self.train_config, learning_rate=lr)

    def request_stop(self) -> None:
        """Ask :meth:`run` to return after the update in progress (safe from any thread)."""
        self._stop_requested = True

    # -- evaluation -------------------------------------------------------------
    def evaluate(
        self, sequences: Sequence[np.ndarray], chunk: int = 256, params: ParamSet | None = None
    ) -> LossStats:
        """Mean loss and accuracy of ``params`` (the current weights) over ``sequences``.

        In runs of ``chunk`` sequences of similar length, cut shorter where one would need more than
        :data:`~app.engine.memory.EVALUATION_CHUNK_BYTES`: memory stays bounded
        however much data there is.  A stream trainer takes each array as a whole stream
        (its training or its validation part), cut into streams as training cuts it and
        read piece by piece (:func:`app.engine.stream.evaluate_stream`).
        """
        params = self.params if params is None else params
        if self.stream:  # the one stream (or none), cut as training cuts it
            return self._stream_evaluate(sequences, params)
        total = LossStats(0.0, 0, 0)
        # Shortest first: each run pads to its longest, so runs of similar lengths do the
        # least wasted work (a 256 k-symbol corpus of code lines: 18.7 s → 7.7 s).
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        lengths = [len(sequences[i]) for i in order]
        for start, stop in evaluation_chunks(self.network, lengths, chunk):
            run = [sequences[i] for i in order[start:stop]]
            total += self.network.evaluate(params, make_batch(run))
        return total

    def _metrics_now(self) -> dict[str, float]:
        return self.metrics_of(self.params)

    def metrics_of(self, params: ParamSet) -> dict[str, float]:
        """Snapshot metrics of ``params``; reads nothing that training changes, so it
        may run on another thread (with weights no one writes to)."""
        train = self.evaluate(self.train_sequences, params=params)
        metrics = {"train_loss": train.loss, "train_accuracy": train.accuracy}
        if self.val_sequences:
            val = self.evaluate(self.val_sequences, params=params)
            metrics |= {"val_loss": val.loss, "val_accuracy": val.accuracy}
        return metrics

    @staticmethod
    def score(metrics: dict[str, float]) -> float:
        """Lower is better: what picks the best snapshot."""
        return metrics.get("val_loss", metrics["train_loss"])

    _score = score

    # -- training ---------------------------------------------------------------
    def run(
        self,
        epochs: int | None = None,
        should_stop: Callable[[], bool] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        progress_every_s: float = 0.2,
    ) -> Iterator[EpochReport]:
        """Train for ``epochs`` more epochs (forever if None), yielding a report after each.

        Returns early, keeping its place in the epoch, when :meth:`request_stop` is
        called or ``should_stop()`` (asked before every update) is true; a resumed
        ``run`` continues the same epoch with the same batches.

        ``on_progress`` (optional) is called after an update once ``progress_every_s``
        seconds of wall time have passed since the epoch (or this ``run``) started or
        since its last call: an epoch shorter than that reports nothing.  It only reads
        the running sums, so training is bit for bit the same with it or without.
        """
        self._stop_requested = False
        refused = self._refuse_nonfinite_weights()
        if refused is not None:
            yield refused
            return
        done = 0
        while epochs is None or done < epochs:
            report = self._run_epoch(should_stop, on_progress, progress_every_s)
            if report is None:  # stopped mid-epoch on request
                return
            yield report
            if report.stop_reason is not None:
                return
            done += 1

    def _refuse_nonfinite_weights(self) -> EpochReport | None:
        """A failed report, changing nothing, when the weights hold NaN or infinities.

        A project file may hold such weights; no update can repair them (every loss
        and gradient from them is NaN), and the learning rate is not to blame.
        """
        problem = nonfinite_weights(self.params)
        if problem is None:
            return None
        return self._stop_report(
            f"{problem[0].upper()}{problem[1:]}; training cannot start from them — "
            "Reset starts again from new initial weights."
        )

    def _new_cursor(self) -> _Cursor:
        n = len(self.train_sequences)
        config = self.train_config
        if not config.shuffle:
            order = np.arange(n)
        elif config.bucketing:
            lengths = np.array([len(s) for s in self.train_sequences])
            order = bucketed_order(lengths, config.batch_size, self.rng)
        else:
            order = self.rng.permutation(n)
        return _Cursor(order=order)

    def _run_epoch(
        self,
        should_stop: Callable[[], bool] | None,
        on_progress: Callable[[Progress], None] | None = None,
        progress_every_s: float = 0.2,
    ) -> EpochReport | None:
        """The rest of the current epoch (a new one if none is under way): one update per
        batch of lines, or per window of the stream with the state carried."""
        full = self.counters_full()
        if full is not None:
            return self._stop_report(full)
        if self.stream:
            if self.cursor is None:
                self.cursor = self._stream_cursor()
            layout, view = self.layout, self._stream_train_view
            n_batches, symbols, window = layout.windows, layout.predictions, 0

            def batch_at(k: int) -> Batch:
                return window_batch(view, *layout.span(k))

        else:
            if self.cursor is None:
                self.cursor = self._new_cursor()
            order, size = self.cursor.order, self.train_config.batch_size
            n_batches = -(-len(order) // size)
            symbols = sum(len(s) - 1 for s in self.train_sequences) if on_progress else 0
            window = self.train_config.tbptt_window

            def batch_at(k: int) -> Batch:
                return make_batch(
                    [self.train_sequences[i] for i in order[k * size : (k + 1) * size]]
                )

        cur = self.cursor
        params, grads, optimizer = self.params.buffer, self.grads.buffer, self.optimizer
        last_report = time.perf_counter()
        while cur.next_batch < n_batches:
            if self._stop_requested or (should_stop is not None and should_stop()):
                self._stop_requested = False
                return None
            started = time.perf_counter()
            batch = batch_at(cur.next_batch)
            stats = self.network.loss_and_grads(self.params, batch, self.grads, window, cur.state)
            carried = self.network.last_state  # read now: the finiteness check evaluates
            norm = clip_global_norm(grads, self.train_config.clip_norm)
            if not (np.isfinite(stats.loss_sum) and np.isfinite(norm)):
                # The learning rate does not enter this loss: retrying these weights would
                # fail the same way forever, so take back the update that produced them.
                self._undo_update()
                what = "loss" if not np.isfinite(stats.loss_sum) else "gradient"
                nan = np.isnan(stats.loss_sum) or np.isnan(norm)
                return self._failed_report(f"The {what} became {'NaN' if nan else 'infinite'}")
            self._checkpoint()
            optimizer.step(params, grads, self.train_config.learning_rate)
            if not self._loss_stays_finite(batch, cur.state):
                self._undo_update()
                return self._failed_report("An update made the loss infinite or NaN")
            if cur.state is not None:  # a stream: the next window starts where this one ended
                cur.state = carried
            cur.next_batch += 1
            cur.loss_sum += stats.loss_sum
            cur.correct += stats.correct
            cur.n_tokens += stats.n_tokens
            cur.grad_norm_sum += norm
            cur.updates += 1
            self.total_updates += 1
            now = time.perf_counter()
            cur.elapsed += now - started
            if on_progress is not None and now - last_report >= progress_every_s:
                last_report = now
                on_progress(self._progress(cur, n_batches, symbols))
        return self._finish_epoch(cur)

    # -- stream mode ------------------------------------------------------------
    def _stream_evaluate(self, sequences: Sequence[np.ndarray], params: ParamSet) -> LossStats:
        total = LossStats(0.0, 0, 0)
        for ids in sequences:  # one, or none
            total += evaluate_stream(self.network, params, ids, self.train_config.batch_size,
                                     self.train_config.tbptt_window)  # fmt: skip
        return total

    def _stream_cursor(self) -> _Cursor:
        """The start of an epoch: window 0, every stream from zeros.  ``order`` is [0]:
        the one training sequence (what a project file's ``cursor/order.npy`` holds)."""
        return _Cursor(order=np.zeros(1, dtype=np.int64),
                       state=zero_state(self.network, self.layout.streams))  # fmt: skip

    def _progress(self, cur: _Cursor, n_batches: int, symbols: int) -> Progress:
        return Progress(
            epoch=self.epoch + 1,
            updates=cur.updates,
            updates_in_epoch=n_batches,
            symbols=cur.n_tokens,
            symbols_in_epoch=symbols,
            train_loss=cur.loss_sum / max(cur.n_tokens, 1),
            train_accuracy=cur.correct / max(cur.n_tokens, 1),
            elapsed=cur.elapsed,
        )

    def _finish_epoch(self, cur: _Cursor) -> EpochReport:
        self.epoch += 1
        self.cursor = None
        val_loss = val_accuracy = None
        if self.val_sequences:
            val = self.evaluate(self.val_sequences)
            val_loss, val_accuracy = val.loss, val.accuracy
        self.total_elapsed += cur.elapsed
        report = EpochReport(
            epoch=self.epoch,
            train_loss=cur.loss_sum / max(cur.n_tokens, 1),
            train_accuracy=cur.correct / max(cur.n_tokens, 1),
            val_loss=val_loss,
            val_accuracy=val_accuracy,
            grad_norm=cur.grad_norm_sum / max(cur.updates, 1),
            elapsed=cur.elapsed,
            total_elapsed=self.total_elapsed,
            updates=cur.updates,
            total_updates=self.total_updates,
            updates_per_second=cur.updates / cur.elapsed if cur.elapsed > 0 else 0.0,
            learning_rate=self.train_config.learning_rate,
        )
        self.history.add(report)
        metrics = {"train_loss": report.train_loss, "train_accuracy": report.train_accuracy}
        if val_loss is not None and val_accuracy is not None:
            metrics |= {"val_loss": val_loss, "val_accuracy": val_accuracy}
        self.snapshots.add(self.epoch, self.params.buffer, metrics, self._score(metrics))
        return report

    def counters_full(self) -> str | None:
        """Why one more epoch would not fit the counters a project file holds, or None.

        Checked before every epoch (an epoch makes at most one update per batch), so
        training never reaches a state that a save would refuse.
        """
        if self.stream:
            n_batches = self.layout.windows
        else:
            n_batches = -(-len(self.train_sequences) // self.train_config.batch_size)
        if self.epoch >= MAX_EPOCH:
            return (
                f"This project has trained {self.epoch:,} epochs, the most a project file "
                "can hold; training cannot go on (Reset starts again)."
            )
        if max(self.total_updates, self.optimizer.steps) > MAX_COUNT - n_batches:
            return (
                f"This project has made {self.total_updates:,} updates; one more epoch would "
                f"pass {MAX_COUNT:,}, the most a project file can hold; training cannot go on "
                "(Reset starts again)."
            )
        return None

    def _checkpoint(self) -> None:
        np.copyto(self._before, self.params.buffer)
        for k, v in self.optimizer.state.items():
            np.copyto(self._before_opt[k], v)
        self._before_steps = self.optimizer.steps

    def _loss_stays_finite(self, batch: Batch, state: State | None = None) -> bool:
        """Will the weights just updated give a finite loss and finite gradients?

        A cheap bound answers almost always: with finite weights below 1e30 no sum
        overflows, and when every read-out column satisfies Σ|Wy| + |by| < ``limit``
        no softmax probability can underflow to 0 (hidden values lie in −1…1).  Only
        when the bound fails is the batch's loss recomputed with the new weights.
        """
        buffer = self.params.buffer
        with np.errstate(all="ignore"):
            biggest = float(np.abs(buffer).max())
            if not np.isfinite(biggest):
                return False
            wy, by = self.params["Wy"], self.params["by"]
            spread = float((np.abs(wy).sum(axis=0) + np.abs(by)).max())
        limit = 30.0 if buffer.dtype == np.float32 else 300.0
        if biggest < 1e30 and spread < limit:
            return True
        # The update's scratch arrays are done with: the check reuses them.
        stats = self.network.evaluate(self.params, batch, reuse_workspace=True, state=state)
        return bool(np.isfinite(stats.loss_sum))

    def _undo_update(self) -> None:
        np.copyto(self.params.buffer, self._before)
        for k, v in self.optimizer.state.items():
            np.copyto(v, self._before_opt[k])
        self.optimizer.steps = self._before_steps

    def _failed_report(self, what: str) -> EpochReport:
        """Training stops; the failed update was never applied (or was undone).

        The weights, optimiser state, counters and epoch cursor are exactly as they
        were before the failing batch, so lowering the learning rate and running
        again retries that batch.
        """
        lr = self.train_config.learning_rate
        reason = (
            f"{what} in epoch {self.epoch + 1}; training stopped and the last good weights "
            f"are kept. The learning rate ({lr:g}) is probably too high — lower it, or turn "
            "on gradient clipping. If training still fails from these weights, Reset starts "
            "again from the initial ones."
        )
        return self._stop_report(reason)

    def _stop_report(self, reason: str) -> EpochReport:
        """The report of an epoch that stopped for ``reason`` (metrics NaN, nothing done)."""
        lr = self.train_config.learning_rate
        return EpochReport(
            epoch=min(self.epoch + 1, MAX_EPOCH),  # the epoch it could not run
            train_loss=float("nan"),
            train_accuracy=float("nan"),
            val_loss=None,
            val_accuracy=None,
            grad_norm=float("nan"),
            elapsed=0.0,
            total_elapsed=self.total_elapsed,
            updates=0,
            total_updates=self.total_updates,
            updates_per_second=0.0,
            learning_rate=lr,
            stop_reason=reason,
        )

    # -- exact save / resume ----------------------------------------------------
    def export_state(self, history: bool = True, snapshots: bool = True) -> TrainerState:
        """Copies of everything needed to resume training bit for bit.

        ``history=False`` leaves the reports out, and ``snapshots=False`` the snapshots'
        weights and metrics (their epochs stay), for a receiver that has them already:
        the window, which got both with the training process's frames.
        """
        cur = self.cursor
        stored = self.snapshots.snapshots()
        return TrainerState(
            epoch=self.epoch,
            total_updates=self.total_updates,
            total_elapsed=self.total_elapsed,
            params=self.params.as_dict(),
            optimizer_state={k: v.copy() for k, v in self.optimizer.state.items()},
            optimizer_steps=self.optimizer.steps,
            rng_state=_copy_json(self.rng.bit_generator.state),
            history=[r.as_dict() for r in self.history] if history else [],
            snapshot_epochs=[snap.epoch for snap in stored],
            snapshot_weights=[snap.weights.copy() for snap in stored] if snapshots else [],
            snapshot_metrics=[dict(snap.metrics) for snap in stored] if snapshots else [],
            snapshot_stride=self.snapshots.stride,
            best_epoch=self.snapshots.best_epoch,
            cursor=None if cur is None else _cursor_fields(cur),
            cursor_order=None if cur is None else cur.order.copy(),
            cursor_state=None if cur is None or cur.state is None else [*map(np.copy, cur.state)],
        )

    def load_state(self, state: TrainerState, keep_history: bool = False) -> None:
        """Restore a state from :meth:`export_state`; ``ValueError`` if it does not fit.

        ``keep_history``: keep this trainer's own reports (the state was exported with
        ``history=False``; the caller sets the history that goes with it).
        """
        if keep_history and state.history:
            raise ValueError("a state with its own history cannot keep this one")
        self.params.assign(state.params)
        if set(state.optimizer_state) != set(self.optimizer.state):
            raise ValueError(
                f"optimizer state has {sorted(state.optimizer_state)}, "
                f"{self.train_config.optimizer} needs {sorted(self.optimizer.state)}"
            )
        for k, v in state.optimizer_state.items():
            if v.shape != self.optimizer.state[k].shape:
                raise ValueError(f"optimizer state {k!r} has the wrong shape {v.shape}")
            self.optimizer.state[k][...] = v
        self.optimizer.steps = state.optimizer_steps
        self.rng.bit_generator.state = _copy_json(state.rng_state)
        self.epoch, self.total_updates = state.epoch, state.total_updates
        self.total_elapsed = state.total_elapsed
        if not keep_history:
            self.history = History(EpochReport(**r) for r in state.history)
        n_params = self.params.buffer.size
        for w in state.snapshot_weights:
            if w.shape != (n_params,):
                raise ValueError(f"a snapshot has shape {w.shape}, expected ({n_params},)")
        if state.cursor_order is not None and sorted(state.cursor_order.tolist()) != list(
            range(len(self.train_sequences))
        ):
            raise ValueError("the epoch cursor does not match the training sequences")
        snapshots = [
            Snapshot(e, w.astype(self.params.dtype), dict(m))
            for e, w, m in zip(
                state.snapshot_epochs, state.snapshot_weights, state.snapshot_metrics, strict=True
            )
        ]
        self.snapshots.restore(snapshots, state.snapshot_stride, state.best_epoch)
        self.cursor = None
        if state.cursor is not None and state.cursor_order is not None:
            self.cursor = _Cursor(order=state.cursor_order.copy(), **state.cursor)
            if self.stream:
                self.cursor.state = self._stream_state(state.cursor_state)
        self._checkpoint()

    def _stream_state(self, arrays: list[np.ndarray] | None) -> State:
        """A stored stream cursor's state, checked against this trainer's streams."""
        expected = zero_state(self.network, self.layout.streams)
        if arrays is None or len(arrays) != len(expected):
            raise ValueError("the epoch cursor lacks the streams' state")
        for a, e in zip(arrays, expected, strict=True):
            if a.shape != e.shape:
                raise ValueError(f"the streams' state has shape {a.shape}, expected {e.shape}")
        return tuple(np.array(a, dtype=self.network.dtype) for a in arrays)


@dataclass
class TrainerState:
    """A trainer's resumable state: plain numbers, JSON-ready dicts and NumPy arrays."""

    epoch: int
    total_updates: int
    total_elapsed: float
    params: dict[str, np.ndarray]
    optimizer_state: dict[str, np.ndarray]
    optimizer_steps: int
    rng_state: dict[str, Any]
    history: list[dict[str, Any]]
    snapshot_epochs: list[int]
    snapshot_weights: list[np.ndarray]
    snapshot_metrics: list[dict[str, float]]
    snapshot_stride: int
    best_epoch: int | None
    cursor: dict[str, Any] | None
    cursor_order: np.ndarray | None
    cursor_state: list[np.ndarray] | None = None
    """Stream mode, mid-epoch: every stream's state to carry into the next window."""


def _cursor_fields(cur: _Cursor) -> dict[str, Any]:
    """The cursor's plain numbers (its arrays travel separately)."""
    return {f.name: getattr(cur, f.name) for f in fields(cur) if f.name not in ("order", "state")}


def _one_stream(sequences: Sequence[np.ndarray] | np.ndarray) -> list[np.ndarray]:
    """A stream trainer's ids as a list of at most one array (a 1-D array is one stream)."""
    if isinstance(sequences, np.ndarray) and sequences.ndim == 1:
        return [sequences] if len(sequences) else []
    out = list(sequences)
    if len(out) > 1:
        raise ValueError(f"a stream is one array of ids, got {len(out)} sequences")
    return [s for s in out if len(s)]


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    return value
