"""``presets`` and ``info``: what can be learned, and what a project file holds."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from app.cli.common import (
    EXIT_OK,
    PROG,
    finite_or_none,
    one_line,
    open_project,
    parameter_count,
    print_json,
)
from app.cli.experiment import clamp_words
from app.data import list_presets
from app.engine.config import config_to_dict
from app.engine.finite import nonfinite_weights
from app.engine.trainer import TrainerState
from app.project import Project


# -- presets ----------------------------------------------------------------------------
def cmd_presets(args: argparse.Namespace) -> int:
    presets = list_presets()
    if args.json:
        print_json(
            [
                {
                    "name": p.name,
                    "title": p.title,
                    "description": p.description,
                    "tokens": p.tokenizer.to_string(),
                    "settings": {k: v for k, v in vars(p.settings).items() if v is not None},
                }
                for p in presets
            ]
        )
        return EXIT_OK
    width = max((len(p.name) for p in presets), default=0)
    for p in presets:
        first = one_line(p.description).split(". ")[0].rstrip(".") + "."
        print(f"{p.name:<{width}}  {p.title}")
        print(f"{'':<{width}}  {first}")
    print(f"\nStart one with: {PROG} new NAME.lstmproj --preset NAME")
    return EXIT_OK


# -- info -------------------------------------------------------------------------------
def project_summary(project: Project, name: str) -> dict[str, Any]:
    """Everything ``info`` reports, as JSON-ready values."""
    data = project.data()
    st = project.trainer_state
    summary: dict[str, Any] = {
        "file": name,
        "title": project.title,
        "description": project.description,
        "preset": project.preset,
        "tokenizer": project.tokenizer,
        "vocabulary": list(data.vocabulary.symbols),
        "sequences": data.n_sequences,
        "tokens": data.n_tokens,
        # "lines" (one sequence per line) or "stream" (the whole text, in windows)
        "mode": project.sequences,
        "window": project.train.tbptt_window,
        "model": config_to_dict(project.model),
        "parameters": parameter_count(project.model),
        "training": config_to_dict(project.train),
        "seed": project.seed,
        "epochs_trained": 0 if st is None else st.epoch,
        "updates": 0 if st is None else st.total_updates,
        "training_seconds": 0.0 if st is None else st.total_elapsed,
        "mid_epoch_updates": None if st is None or st.cursor is None else st.cursor["updates"],
        "last": None,
        "best_epoch": None if st is None else st.best_epoch,
        "best": None,
        "snapshots": [] if st is None else list(st.snapshot_epochs),
        # None, or what is wrong with the latest weights ("the weights hold NaN (…)")
        "weights_problem": None if st is None else nonfinite_weights(st.params),
        "nonfinite_snapshots": _nonfinite_snapshots(st),
    }
    if st is not None and st.history:
        summary["last"] = {k: finite_or_none(v) for k, v in st.history[-1].items()}
    if st is not None and st.best_epoch in st.snapshot_epochs:
        metrics = st.snapshot_metrics[st.snapshot_epochs.index(st.best_epoch)]
        summary["best"] = {k: finite_or_none(v) for k, v in metrics.items()}
    return summary


def cmd_info(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    s = project_summary(project, args.project)
    if args.json:
        print_json(s)
        return EXIT_OK
    m, t = s["model"], s["training"]
    vocab = project.data().vocabulary
    rows = [
        ("Title", s["title"] or "(none)"),
        ("Preset", s["preset"] or "none (own text)"),
        ("Tokenizer", s["tokenizer"]),
        ("Vocabulary", f"{len(vocab)} symbols: {vocab.describe()}"),
        ("Text", _text_line(s)),
        (
            "Model",
            f"{m['kind'].upper()}, hidden size {m['hidden_size']}, {m['dtype']}, "
            f"{s['parameters']:,} parameters{clamp_words(project.model)}",
        ),
        ("Optimizer", _optimizer_line(t)),
        ("Seed", str(s["seed"])),
        ("Epochs trained", _epochs_line(s)),
    ]
    if s["weights_problem"] is not None:
        rows.append(("Weights", f"{s['weights_problem']}: predict, evaluate and train refuse them"))
    if s["last"] is not None:
        rows.append(("Last epoch", _metrics_line(s["last"])))
    if s["best"] is not None:
        rows.append(("Best epoch", f"{s['best_epoch']} ({_metrics_line(s['best'])})"))
    if s["snapshots"]:
        e = s["snapshots"]
        rows.append(("Snapshots", f"{len(e)} stored, epochs {e[0]} to {e[-1]}"
                     + _nonfinite_line(s["nonfinite_snapshots"])))  # fmt: skip
    if project.rival is not None:  # the second model of the app's "RNN vs LSTM" view
        r, rs = project.rival.model, project.rival.trainer_state
        problem = None if rs is None else nonfinite_weights(rs.params)
        rows.append(("Second model", f"{r.kind.upper()}, hidden size {r.hidden_size}"
                     f"{clamp_words(r)}, "
                     f"{0 if rs is None else rs.epoch} epochs trained"
                     + ("" if problem is None else f"; {problem}")))  # fmt: skip
    width = max(len(k) for k, _ in rows) + 1
    for key, value in rows:
        print(f"{key + ':':<{width}} {value}")
    if s["description"]:
        print()
        print(textwrap.fill(one_line(s["description"]), width=88))
    return EXIT_OK


def _text_line(s: dict[str, Any]) -> str:
    if s["mode"] == "lines":
        return f"{s['sequences']} sequences (lines), {s['tokens']} symbols"
    return (
        f"one stream of {s['tokens']:,} symbols (line breaks are symbols, ⏎), trained in "
        f"windows of {s['window']} steps"
    )


def _nonfinite_snapshots(st: TrainerState | None) -> list[int]:
    """The stored epochs whose weights hold NaN or infinities."""
    if st is None:
        return []
    pairs = zip(st.snapshot_epochs, st.snapshot_weights, strict=True)
    return [e for e, w in pairs if nonfinite_weights(w) is not None]


def _nonfinite_line(epochs: list[int]) -> str:
    if not epochs:
        return ""
    shown = ", ".join(str(e) for e in epochs[:5]) + (", …" if len(epochs) > 5 else "")
    verb = "holds" if len(epochs) == 1 else "hold"
    return f"; {len(epochs)} {verb} NaN or infinite values (epoch {shown})"


def _optimizer_line(t: dict[str, Any]) -> str:
    parts = [f"{t['optimizer']}, learning rate {t['learning_rate']:g}"]
    if t["optimizer"] == "sgd":
        parts.append(f"momentum {t['momentum']:g}")
    parts.append(f"batch size {t['batch_size']}")
    parts.append(f"clip norm {t['clip_norm']:g}" if t["clip_norm"] else "no clipping")
    parts.append(f"validation split {t['validation_split']:g}")
    if t["tbptt_window"]:
        parts.append(f"BPTT window {t['tbptt_window']}")
    return ", ".join(parts)


def _epochs_line(s: dict[str, Any]) -> str:
    if not s["epochs_trained"] and not s["updates"]:
        return "none yet (untrained)"
    line = f"{s['epochs_trained']} ({s['updates']:,} updates, {s['training_seconds']:.1f} s)"
    if s["mid_epoch_updates"]:
        line += f"; stopped {s['mid_epoch_updates']} update(s) into the next epoch"
    return line


def _metrics_line(metrics: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    def num(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.4f}"

    line = f"loss {num(metrics.get('train_loss'))}, accuracy {pct(metrics.get('train_accuracy'))}"
    if metrics.get("val_loss") is not None:
        line += (
            f"; validation loss {num(metrics['val_loss'])}, "
            f"accuracy {pct(metrics.get('val_accuracy'))}"
        )
    return line
