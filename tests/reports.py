"""Hand-built epoch reports for the tests of what draws or computes from a history."""

from __future__ import annotations

from app.engine.trainer import EpochReport


def report(
    epoch: int,
    train_loss: float = 1.0,
    train_accuracy: float = 0.5,
    val_loss: float | None = None,
    val_accuracy: float | None = None,
) -> EpochReport:
    return EpochReport(
        epoch=epoch, train_loss=train_loss, train_accuracy=train_accuracy, val_loss=val_loss,
        val_accuracy=val_accuracy, grad_norm=1.0, elapsed=0.01, total_elapsed=0.01 * epoch,
        updates=1, total_updates=epoch, updates_per_second=100.0, learning_rate=0.01,
    )  # fmt: skip


def reports(first: int, n: int, validation: bool = True) -> list[EpochReport]:
    """``n`` reports from epoch ``first``: a falling loss, a rising accuracy."""
    out = []
    for e in range(first, first + n):
        loss = 2.0 / (1.0 + e / 10)
        acc = 1.0 - loss / 2.0
        out.append(report(e, loss, acc, loss * 1.1 if validation else None,
                          acc * 0.9 if validation else None))  # fmt: skip
    return out
