"""The CLI's ``train`` command: drive the trainer generator, show progress, save safely.

Never imports Qt.  Ctrl-C asks the trainer to stop after the update in progress (it
keeps its place inside the epoch); what was learned is saved and the exit code is
130.  While the file is being written Ctrl-C is ignored, so a second press cannot
leave a half-written project.  A NaN/infinite loss stops training with the last good
weights, which are saved; the exit code is 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from app.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    CliError,
    check_weights,
    finite_or_none,
    note,
    one_line,
    open_project,
    print_json,
    silence_stdout,
)
from app.data import DataError, load_preset
from app.engine.trainer import EpochReport, Trainer
from app.engine.trainer import Progress as EpochProgress
from app.project import Project, save_project

DEFAULT_EPOCHS = 100
MAX_EPOCHS = 1_000_000
_TTY_INTERVAL = 0.1  # seconds between redraws of the progress bar (≤ 10 Hz)
_LOG_INTERVAL = 2.0  # seconds between plain progress lines when stderr is not a terminal
_JSON_INTERVAL = 0.5  # seconds between `--json` progress lines inside a long epoch


def default_epochs(project: Project) -> int:
    """The preset's recommended number of epochs, else :data:`DEFAULT_EPOCHS`."""
    if project.preset:
        try:
            return load_preset(project.preset).settings.epochs
        except DataError:  # a preset that no longer ships: fall back quietly
            pass
    return DEFAULT_EPOCHS


class Progress:
    """Epoch, loss, accuracy, validation, speed and ETA on stderr, throttled.

    On a terminal one line is redrawn in place (with a bar when it fits); otherwise (a
    log file, a pipe) a plain line is written for the first epoch, then every few
    seconds and at the end.  Inside an epoch longer than that interval (see
    :meth:`within`) the line shows the updates done of the epoch and the loss so far,
    and the ETA counts the part of the epoch done.  ``already``: the fraction of an
    epoch done before this run (a run resumed mid-epoch), left out of the speed.
    """

    def __init__(self, total: int, stream: TextIO, already: float = 0.0):
        self.total, self.stream, self.already = total, stream, already
        self.tty = stream.isatty()
        self.interval = _TTY_INTERVAL if self.tty else _LOG_INTERVAL
        self.started = time.monotonic()
        self.last_shown = -float("inf")
        self.pending: tuple[float, str] | None = None  # (epochs done, stats) not yet shown

    def update(self, report: EpochReport, done: int) -> None:
        now = time.monotonic()
        self.pending = done, self._stats(report, done, now)
        if done == 1 or now - self.last_shown >= self.interval:
            self._show()
            self.last_shown = now

    def within(self, p: EpochProgress, done: int) -> None:
        """Progress inside the epoch after ``done`` finished ones (throttled like epochs)."""
        now = time.monotonic()
        fraction = done + p.updates / max(p.updates_in_epoch, 1)
        parts = [
            f"epoch {p.epoch} ({done}/{self.total})",
            f"update {p.updates:,}/{p.updates_in_epoch:,}",
            f"loss {p.train_loss:.4f}",
            f"accuracy {100 * p.train_accuracy:.1f}%",
        ]
        self.pending = fraction, "  ".join(parts + self._speed(fraction, now))
        if now - self.last_shown >= self.interval:
            self._show()
            self.last_shown = now

    def finish(self) -> None:
        """Show the final state; end the redrawn line."""
        self._show()
        if self.tty and self.last_shown > -float("inf"):
            self.stream.write("\n")
            self.stream.flush()

    def _show(self) -> None:
        if self.pending is None:
            return
        done, stats = self.pending
        self.pending = None
        if not self.tty:
            self.stream.write(stats + "\n")
        else:
            width = max(20, _terminal_width(self.stream) - 1)
            bar = min(20, width - len(stats) - 3)  # the bar only takes the room left over
            filled = round(bar * done / self.total)
            line = f"[{'#' * filled}{'.' * (bar - filled)}] {stats}" if bar >= 5 else stats[:width]
            self.stream.write("\r" + line.ljust(width))
        self.stream.flush()

    def _speed(self, done: float, now: float) -> list[str]:
        """Epochs per second (seconds per epoch when slower than one a second) and ETA."""
        rate = (done - self.already) / max(now - self.started, 1e-9)
        if rate <= 0:
            return []
        speed = f"{rate:.1f} epochs/s" if rate >= 1 else f"{1 / rate:.1f} s/epoch"
        return [speed, f"ETA {_clock((self.total - done) / rate)}"]

    def _stats(self, r: EpochReport, done: int, now: float) -> str:
        parts = [
            f"epoch {r.epoch} ({done}/{self.total})",
            f"loss {r.train_loss:.4f}",
            f"accuracy {100 * r.train_accuracy:.1f}%",
        ]
        if r.val_loss is not None and r.val_accuracy is not None:
            parts.append(f"val {r.val_loss:.4f} {100 * r.val_accuracy:.1f}%")
        return "  ".join(parts + self._speed(done, now))


def _terminal_width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return shutil.get_terminal_size((80, 24)).columns


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


@contextmanager
def _stop_on_ctrl_c(trainer: Trainer) -> Iterator[dict[str, bool]]:
    """While inside, Ctrl-C asks the trainer to stop after its current update."""
    flag = {"interrupted": False}

    def handler(signum: int, frame: FrameType | None) -> None:
        flag["interrupted"] = True
        trainer.request_stop()

    if threading.current_thread() is not threading.main_thread():
        yield flag  # signal handlers can only be installed from the main thread
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_train(args: argparse.Namespace) -> int:
    path = Path(args.project)
    project = open_project(args.project)
    if args.lr is not None:
        project.train = replace(project.train, learning_rate=args.lr)
    epochs = args.epochs if args.epochs is not None else default_epochs(project)
    try:
        trainer = project.make_trainer()
    except ValueError as exc:  # the text or the stored state does not fit the model
        raise CliError(f"{args.project}: {exc}") from None
    check_weights(args.project, trainer.params, "training cannot start from them")
    full = trainer.counters_full()
    if full is not None:  # refuse before training anything: the file stays as it is
        raise CliError(f"{args.project}: {full}")
    cur, bs = trainer.cursor, trainer.train_config.batch_size
    already = 0.0 if cur is None else cur.next_batch / max(-(-len(cur.order) // bs), 1)
    progress = None if args.json else Progress(epochs, sys.stderr, already)
    done, last, failed, stdout_gone = 0, None, None, False

    def on_progress(p: EpochProgress) -> None:
        nonlocal stdout_gone
        if progress is not None:
            progress.within(p, done)
            return
        try:
            print_json({"event": "progress", **_clean(p.as_dict())})
        except BrokenPipeError:
            stdout_gone = True
            trainer.request_stop()

    every = _JSON_INTERVAL if progress is None else progress.interval
    with _stop_on_ctrl_c(trainer) as stop:
        for report in trainer.run(epochs, on_progress=on_progress, progress_every_s=every):
            if report.stop_reason is not None:
                failed = report
                break
            done, last = done + 1, report
            if progress is not None:
                progress.update(report, done)
            else:
                try:
                    print_json({"event": "epoch", **_clean(report.as_dict())})
                except BrokenPipeError:  # e.g. `train --json | head`: stop, but keep the work
                    stdout_gone = True
            if stop["interrupted"] or stdout_gone:
                break
    interrupted = stop["interrupted"] and done < epochs and failed is None
    if progress is not None:
        progress.finish()
    project.capture(trainer)
    with _ctrl_c_ignored():
        save_project(project, path)
    if stdout_gone:
        silence_stdout()
        note(f"output closed (nobody reads it): stopped after epoch {trainer.epoch}; saved {path}")
        return EXIT_FAILED
    status, code = "finished", EXIT_OK
    if failed is not None:
        status, code = "stopped", EXIT_FAILED
        note(f"training stopped: {failed.stop_reason}")
    elif interrupted:
        status, code = "interrupted", EXIT_INTERRUPTED
    _summarise(args, trainer, done, last, status, failed)
    return code


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: finite_or_none(v) for k, v in d.items()}


def _summarise(
    args: argparse.Namespace,
    trainer: Trainer,
    done: int,
    last: EpochReport | None,
    status: str,
    failed: EpochReport | None,
) -> None:
    mid = trainer.cursor.updates if trainer.cursor is not None else 0
    if args.json:
        print_json(
            {
                "event": "summary",
                "status": status,
                "epochs_run": done,
                "epochs_trained": trainer.epoch,
                "mid_epoch_updates": mid,
                "last": None if last is None else _clean(last.as_dict()),
                "best_epoch": trainer.snapshots.best_epoch,
                "stop_reason": None if failed is None else failed.stop_reason,
                "saved": args.project,
            }
        )
    if status == "interrupted":
        where = f"after epoch {trainer.epoch}" + (
            f" and {mid} update(s) of the next" if mid else ""
        )
        note(
            f"interrupted {where}; what was learned is saved in {args.project}. "
            f"Run 'train' again to continue from there."
        )
    if args.json:
        return
    summary = f"Trained {done} epoch(s), now at epoch {trainer.epoch}"
    if last is not None:
        summary += f": loss {last.train_loss:.4f}, accuracy {100 * last.train_accuracy:.1f}%"
        if last.val_loss is not None and last.val_accuracy is not None:
            summary += f" (validation {last.val_loss:.4f}, {100 * last.val_accuracy:.1f}%)"
    print(one_line(f"{summary}. Saved {args.project}."))
