"""When continuous training ends by itself (an epoch count, a target loss or accuracy),
how far it has come towards that, and how long it may still take.

Plain Python (no Qt), so the rules are tested without threads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.engine.trainer import EpochReport

STOP_KINDS = ("none", "epochs", "loss", "accuracy")


@dataclass(frozen=True)
class StopCondition:
    """``kind`` is one of :data:`STOP_KINDS`; ``value`` its number (unused for "none").

    "epochs": train ``value`` more epochs from Train; "loss": stop once the epoch's
    training loss is ≤ ``value``; "accuracy": once its training accuracy is ≥ ``value``
    (a fraction, 0…1).
    """

    kind: str = "none"
    value: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in STOP_KINDS:
            raise ValueError(f"stop condition must be one of {', '.join(STOP_KINDS)}")
        if self.kind == "none":
            return
        v = self.value
        if v is None or not math.isfinite(v):
            raise ValueError(f"the {self.kind} stop condition needs a finite number")
        if self.kind == "epochs" and (v < 1 or v != int(v)):
            raise ValueError("the number of epochs must be a whole number ≥ 1")
        if self.kind == "loss" and v < 0:
            raise ValueError("the target loss must be ≥ 0")
        if self.kind == "accuracy" and not 0 <= v <= 1:
            raise ValueError("the target accuracy must be between 0 and 1")

    def target_epoch(self, epoch_now: int) -> int | None:
        """For "epochs": the epoch at which a run starting at ``epoch_now`` ends."""
        if self.kind != "epochs" or self.value is None:
            return None
        return epoch_now + int(self.value)

    def met(self, report: EpochReport, target_epoch: int | None) -> str | None:
        """A plain-words message when ``report`` satisfies the condition, else None."""
        v = self.value
        if self.kind == "epochs" and target_epoch is not None and report.epoch >= target_epoch:
            n = int(v or 0)
            if report.epoch == n:
                return f"Reached {n} epochs."
            return f"Trained {n} more epochs (now at epoch {report.epoch})."
        if self.kind == "loss" and v is not None and report.train_loss <= v:
            return f"Loss {v:g} reached at epoch {report.epoch}."
        if self.kind == "accuracy" and v is not None and report.train_accuracy >= v:
            return f"Accuracy {100 * v:g}% reached at epoch {report.epoch}."
        return None


def format_duration(seconds: float) -> str:
    """``42 s``, ``3:05`` or ``1:02:03``."""
    if not math.isfinite(seconds) or seconds < 0:
        return "\u2014"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def stop_progress(
    kind: str,
    target: float,
    epoch: int,
    first: EpochReport | None,
    last: EpochReport | None,
    end_epoch: int | None = None,
) -> float | None:
    """How far training is towards the stop condition (0…1), or None without one.

    "epochs" counts ``target`` more epochs from Train, ending at ``end_epoch`` (None
    before the run starts: nothing done yet).
    """
    if kind == "epochs" and target > 0:
        if end_epoch is None:
            return 0.0
        return min(max(1.0 - (end_epoch - epoch) / target, 0.0), 1.0)
    if last is None or not math.isfinite(last.train_loss):
        return None if kind == "none" else 0.0
    if kind == "accuracy" and target > 0:
        return min(max(last.train_accuracy / target, 0.0), 1.0)
    if kind == "loss" and first is not None and target > 0:
        start = first.train_loss
        if start <= target:
            return 1.0
        done = math.log(start / max(last.train_loss, 1e-300)) / math.log(start / target)
        return min(max(done, 0.0), 1.0)
    return None
