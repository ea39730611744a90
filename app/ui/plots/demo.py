"""Show the three plot widgets on a freshly trained preset, for looking and screenshots.

Run ``python -m app.ui.plots.demo [--preset doug-jane-spot] [--epochs 150]
[--screenshot out.png]``.  With ``--screenshot`` the window is drawn, saved and closed.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from app.analysis.sequence_view import SequenceView, make_sequence_view
from app.data.presets import load_preset
from app.engine.trainer import EpochReport
from app.project.project import Project
from app.ui.plots import GateHeatmaps, LossPlot, PredictionView


def trained_views(
    preset: str, epochs: int, validation: float, sequence: int, model: str | None = None
) -> tuple[list[EpochReport], SequenceView, str]:
    """Train ``preset`` for ``epochs`` and view sequence ``sequence`` at the end."""
    p = load_preset(preset)
    data = p.data()
    settings = p.settings if model is None else replace(p.settings, model=model)
    project = Project.from_text(
        p.text,
        tokenizer=p.tokenizer.to_string(),
        model=settings.model_config(len(data.vocabulary)),
        train=replace(settings.train_config(), validation_split=validation),
        preset=p.name,
    )
    trainer = project.make_trainer()
    reports = list(trainer.run(epochs))
    project.capture(trainer)
    network, params = project.weights()
    i = min(sequence, data.n_sequences - 1)
    view = make_sequence_view(
        network, params, data.ids[i], data.tokens[i], data.vocabulary.symbols, i, trainer.epoch
    )
    return reports, view, p.tokenizer.to_string()


def synthetic_view(
    kind: str = "lstm", steps: int = 50, hidden: int = 128, vocab: int = 30, seed: int = 0
) -> SequenceView:
    """A view with random values of the right shapes and ranges (tests, benchmarks)."""
    rng = np.random.default_rng(seed)
    vocabulary = tuple(f"w{i}" for i in range(vocab))
    ids = rng.integers(0, vocab, steps + 1)
    names = {"lstm": ("forget", "input", "output", "candidate"),
             "gru": ("reset", "update", "candidate"), "rnn": ()}[kind]  # fmt: skip
    gates = {n: rng.uniform(-1 if n == "candidate" else 0, 1, (steps, hidden)) for n in names}
    logits = rng.normal(0, 2, (steps, vocab))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return SequenceView(
        index=0, epoch=1, kind=kind,
        tokens=tuple(vocabulary[i] for i in ids), vocabulary=vocabulary, gates=gates,
        hidden=rng.uniform(-1, 1, (steps, hidden)),
        cell=rng.normal(0, 2, (steps, hidden)) if kind == "lstm" else None, probs=probs,
    )  # fmt: skip


def bench(repeats: int = 50) -> dict[str, tuple[float, float]]:
    """Median milliseconds of each live update: the call alone, and call plus repaint.

    Like live training: the same sequence (same tokens) with new values every frame,
    and 20 new epochs appended to 99,000 per frame.  Each widget is shown on its own.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    first = synthetic_view(seed=0)
    views = [replace(synthetic_view(seed=i + 1), tokens=first.tokens) for i in range(repeats)]
    reports = [_report(e) for e in range(1, 100_001)]
    chunks = [reports[99_000 + 20 * i : 99_000 + 20 * (i + 1)] for i in range(repeats)]
    results = {}
    for name, widget, prepare, update in (
        ("GateHeatmaps.set_view (LSTM, T=50, H=128)", GateHeatmaps(),
         lambda w: w.set_view(first), lambda w, i: w.set_view(views[i])),
        ("PredictionView.set_view (T=50, V=30)", PredictionView(),
         lambda w: w.set_view(first), lambda w, i: w.set_view(views[i])),
        ("LossPlot.append (20 reports onto 99,000)", LossPlot(),
         lambda w: w.set_history(reports[:99_000]), lambda w, i: w.append(chunks[i])),
    ):  # fmt: skip
        widget.resize(900, 650)
        widget.show()
        prepare(widget)  # builds the panels: not part of a live frame
        app.processEvents()
        calls, frames = [], []
        for i in range(repeats):
            start = time.perf_counter()
            update(widget, i)
            called = time.perf_counter()
            app.processEvents()  # the repaint the update caused
            calls.append(called - start)
            frames.append(time.perf_counter() - start)
        results[name] = (1000 * float(np.median(calls)), 1000 * float(np.median(frames)))
        widget.close()
        if isinstance(widget, LossPlot):  # rewind the history for a fair re-run
            widget.set_history(())
    return results


def _report(epoch: int) -> EpochReport:
    loss = 2.0 / (1 + epoch / 50)
    return EpochReport(
        epoch=epoch, train_loss=loss, train_accuracy=1 - loss / 2, val_loss=loss * 1.1,
        val_accuracy=1 - loss / 1.8, grad_norm=1.0, elapsed=0.01, total_elapsed=epoch * 0.01,
        updates=1, total_updates=epoch, updates_per_second=100.0, learning_rate=0.01,
    )  # fmt: skip


class Demo(QWidget):
    """Loss and predictions on the left, the gates on the right."""

    def __init__(self, reports: list[EpochReport], view: SequenceView, tokenizer: str) -> None:
        super().__init__()
        self.setWindowTitle("LSTM Playground — plots")
        self.loss = LossPlot()
        self.gates = GateHeatmaps()
        self.predictions = PredictionView()
        self.predictions.set_tokenizer(tokenizer)
        grid = QGridLayout(self)
        grid.addWidget(self.loss, 0, 0)
        grid.addWidget(self.predictions, 1, 0)
        grid.addWidget(self.gates, 0, 1, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.loss.set_history(reports[: len(reports) // 2])
        self.loss.append(reports[len(reports) // 2 :])  # the live path, too
        self.gates.set_view(view)
        self.predictions.set_view(view)
        self.view = view

    def hover(self, step: int) -> None:
        """Point the mouse at ``step`` (first unit, true next symbol), as a user would."""
        step = min(step, self.view.steps - 1)
        forget = next(iter(self.gates.heatmaps.values()))
        self.gates.graphics.scene().sigMouseMoved.emit(forget.scene_pos_of(step, 0))
        row = self.view.vocabulary.index(self.view.targets[step])
        pos = self.predictions.heatmap.scene_pos_of(step, row)
        self.predictions.graphics.scene().sigMouseMoved.emit(pos)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default="doug-jane-spot")
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--validation", type=float, default=0.0, help="validation split")
    parser.add_argument("--sequence", type=int, default=0, help="which sequence to view")
    parser.add_argument("--model", choices=("lstm", "gru", "rnn"), default=None)
    parser.add_argument("--size", default="1600x1000", help="window size WxH")
    parser.add_argument("--hover", type=int, default=None, help="show the cursor at this step")
    parser.add_argument("--log", action="store_true", help="loss on a log scale")
    parser.add_argument("--screenshot", default=None, help="save the window here and quit")
    parser.add_argument("--bench", action="store_true", help="time the live updates and quit")
    args = parser.parse_args(argv)
    if args.bench:
        for name, (call, frame) in bench().items():
            print(f"{name}: call {call:.2f} ms, call + repaint {frame:.2f} ms (medians)")
        return 0

    app = QApplication.instance() or QApplication(sys.argv[:1])
    reports, view, tokenizer = trained_views(
        args.preset, args.epochs, args.validation, args.sequence, args.model
    )
    demo = Demo(reports, view, tokenizer)
    width, height = (int(v) for v in args.size.split("x"))
    demo.resize(width, height)
    demo.show()
    if args.log:
        demo.loss.set_log_scale(True)
    if args.hover is not None:
        QTimer.singleShot(300, lambda: demo.hover(args.hover))
    if args.screenshot:
        QTimer.singleShot(800, lambda: (demo.grab().save(args.screenshot), app.quit()))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
