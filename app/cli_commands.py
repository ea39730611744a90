"""The CLI's shared helpers and its bookkeeping commands: ``new``, ``info`` and ``presets``.

Never imports Qt.  Every problem with the user's input is raised as an exception the
caller (:func:`app.cli.run`) turns into one ``lstm-playground: error: …`` line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from app.data import DataError, TokenizerSpec, check_text, list_presets, load_preset
from app.engine.config import ModelConfig, TrainConfig, config_to_dict
from app.engine.network import Network
from app.engine.params import ParamSet
from app.project import Project, load_project, save_project

PROG = "lstm-playground"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """Bad input: printed as one ``error:`` line, exit code 2, nothing written."""


def one_line(message: str) -> str:
    """``message`` with its line breaks (and the spaces around them) turned into one space."""
    return re.sub(r"\s*[\r\n]+\s*", " ", message).strip()


def note(message: str) -> None:
    """A remark for the person at the terminal (stderr, so stdout stays clean)."""
    print(f"{PROG}: {one_line(message)}", file=sys.stderr)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, allow_nan=False), flush=True)


def silence_stdout() -> None:
    """After a broken pipe: point stdout at the null device so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def finite_or_none(value: Any) -> Any:
    """JSON has no NaN: non-finite numbers become ``null``."""
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def show(symbol: str) -> str:
    """A symbol as printed: quoted when it is blank or contains spaces or controls."""
    if symbol.isprintable() and not any(c.isspace() for c in symbol):
        return symbol
    return repr(symbol)


def read_text_file(name: str) -> str:
    """The UTF-8 text of ``name`` (``-`` reads stdin)."""
    if name == "-":
        return sys.stdin.read()
    try:
        raw = Path(name).read_bytes()
    except FileNotFoundError:
        raise CliError(f"text file {name} does not exist") from None
    except IsADirectoryError:
        raise CliError(f"text file {name} is a folder, not a file") from None
    except OSError as exc:
        raise CliError(f"cannot read text file {name}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"text file {name} is not UTF-8 text (bad byte at {exc.start})") from None


def open_project(name: str) -> Project:
    """Load and validate a project file (``ProjectFileError`` names the file and problem)."""
    path = Path(name)
    if not path.exists():
        raise CliError(f"project file {name} does not exist")
    if not path.is_file():
        raise CliError(f"project file {name} is not a file")
    return load_project(path)


def check_output_path(name: str, force: bool) -> Path:
    """Refuse to write where it cannot or should not (checked before anything is built)."""
    path = Path(name)
    if path.is_dir():
        raise CliError(f"{name} is a folder; give a file name such as {name}/my.lstmproj")
    if not path.parent.is_dir():
        raise CliError(f"cannot create {name}: the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise CliError(f"{name} already exists; add --force to overwrite it")
    return path


def weights(project: Project, name: str) -> tuple[Network, ParamSet]:
    """The network and its latest weights (the seed's initial weights when untrained)."""
    try:
        return project.weights()
    except ValueError as exc:
        raise CliError(f"{name}: the stored weights do not fit the model ({exc})") from None


def parameter_count(model: ModelConfig) -> int:
    return sum(int(np.prod(shape)) for shape in Network(model).shapes.values())


# -- new ------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    out = check_output_path(args.out, args.force)
    extra: dict[str, Any] = {}
    if args.preset is not None:
        preset = load_preset(args.preset)
        text, tokens, s = preset.text, preset.tokenizer.to_string(), preset.settings
        model = ModelConfig(kind=s.model, hidden_size=s.hidden_size)
        train = s.train_config()
        extra = {"title": preset.title, "description": preset.description, "preset": preset.name}
    else:
        text, tokens = read_text_file(args.text_file), "words"
        model, train = ModelConfig(), TrainConfig()
        extra = {"title": Path(args.text_file).stem if args.text_file != "-" else ""}
    tokens = args.tokens if args.tokens is not None else tokens
    model = _override(model, kind=args.model, hidden_size=args.hidden, dtype=args.dtype)
    train = _override(
        train,
        optimizer=args.optimizer,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        clip_norm=args.clip,
        validation_split=args.validation_split,
    )
    if args.seed is not None:
        extra["seed"] = args.seed
    spec = TokenizerSpec.parse(tokens)  # a bad --tokens is reported as such, not as the text's
    source = f"preset {args.preset}" if args.preset is not None else f"text file {args.text_file}"
    try:
        project = Project.from_text(text, tokens, model=model, train=train, **extra)
    except DataError as exc:
        raise CliError(f"{source}: {exc}") from None
    for problem in check_text(text, spec):
        note(f"warning: {source}: {problem}")  # errors were raised above; these are warnings
    data = project.data()
    save_project(project, out)
    m = project.model
    print(
        f"Created {out}: {data.n_sequences} sequences, {len(data.vocabulary)} symbols, "
        f"{m.kind.upper()} with hidden size {m.hidden_size} "
        f"({parameter_count(m):,} parameters), untrained.\n"
        f"Train it with: {PROG} train {out}"
    )
    return EXIT_OK


def _override(config: Any, **changes: Any) -> Any:
    return replace(config, **{k: v for k, v in changes.items() if v is not None})


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
        ("Text", f"{s['sequences']} sequences, {s['tokens']} symbols"),
        (
            "Model",
            f"{m['kind'].upper()}, hidden size {m['hidden_size']}, {m['dtype']}, "
            f"{s['parameters']:,} parameters",
        ),
        ("Optimizer", _optimizer_line(t)),
        ("Seed", str(s["seed"])),
        ("Epochs trained", _epochs_line(s)),
    ]
    if s["last"] is not None:
        rows.append(("Last epoch", _metrics_line(s["last"])))
    if s["best"] is not None:
        rows.append(("Best epoch", f"{s['best_epoch']} ({_metrics_line(s['best'])})"))
    if s["snapshots"]:
        e = s["snapshots"]
        rows.append(("Snapshots", f"{len(e)} stored, epochs {e[0]} to {e[-1]}"))
    if project.rival is not None:  # the second model of the app's "RNN vs LSTM" view
        r, rs = project.rival.model, project.rival.trainer_state
        rows.append(("Second model", f"{r.kind.upper()}, hidden size {r.hidden_size}, "
                     f"{0 if rs is None else rs.epoch} epochs trained"))  # fmt: skip
    width = max(len(k) for k, _ in rows) + 1
    for key, value in rows:
        print(f"{key + ':':<{width}} {value}")
    if s["description"]:
        print()
        print(textwrap.fill(one_line(s["description"]), width=88))
    return EXIT_OK


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
