"""The CLI's ``export`` command: a project as a folder that PyTorch can carry on from.

Never imports Qt, nor torch: the export is plain files — JSON, text and ``.npz`` weights
in the layout of ``torch.nn.LSTM``/``GRU``/``RNN`` + ``Linear`` (:mod:`app.cli.export_layout`)
— next to three scripts copied unchanged from ``resources/export/pytorch/``.  The scripts
read everything project-specific from ``config.json``; nothing is templated into code.

Nothing is ever half-written: every file is built in memory first, then written into a
hidden folder beside ``DIR`` and moved into place.  A new (or empty) ``DIR`` appears
whole by one rename.  ``--force`` writes into a folder that is not empty, replacing a
previous export's files one by one (each replace is atomic) and leaving every other
file in it alone; a non-empty folder that is not a previous export is refused when one
of the export's file names is already taken, so no unrelated file is ever overwritten.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from app import __version__
from app.cli.common import EXIT_OK, CliError, note, open_project, weights
from app.cli.export_layout import to_torch
from app.data import SequenceData
from app.data.tokenize import NEWLINE, PUNCTUATION
from app.engine.config import config_to_dict
from app.engine.optim import Adagrad, Adam, RMSProp
from app.engine.params import ParamSet
from app.engine.trainer import seed_generators
from app.project import Project
from app.resources import resource_path

TARGETS = ("pytorch",)
FORMAT = "lstm-playground-pytorch-export"
FORMAT_VERSION = 1
SCRIPTS = ("model.py", "predict.py", "train.py")
SUMMARY_MARK = "<!-- summary -->"

# Our optimiser slots under torch's names for the same numbers.
TORCH_SLOTS = {
    "m": "exp_avg",
    "v": "exp_avg_sq",
    "velocity": "momentum_buffer",
    "square_avg": "square_avg",
    "sum": "sum",
}
OPTIMIZER_SETTINGS: dict[str, dict[str, Any]] = {
    "adam": {"betas": [Adam.beta1, Adam.beta2], "eps": Adam.eps},
    "rmsprop": {"alpha": RMSProp.alpha, "eps": RMSProp.eps},
    "adagrad": {"eps": Adagrad.eps},
    "sgd": {},
}


def template_folder() -> Path:
    return resource_path("export", "pytorch")


def cmd_export(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    folder = export_pytorch(project, args.dir, args.force, name=Path(args.project).name)
    if project.trainer_state is None:
        note(f"note: {args.project} is untrained; the export holds its initial weights")
    print(f"exported {args.project} to {folder}/ — see {folder}/README.md")
    return EXIT_OK


def export_pytorch(
    project: Project, folder: str | os.PathLike[str], force: bool = False, name: str = ""
) -> Path:
    """Write ``project`` as a PyTorch folder (see the module docstring); returns the folder.

    For the window's File ▸ Export ▸ PyTorch project… too: it prints nothing, and ``name``
    (the project's file name) is shown in the README.  Raises
    :class:`~app.cli.common.CliError` (a one-line message; nothing written) for a folder it
    must not write to or weights that hold NaN or infinities, and
    :class:`~app.data.DataError` for a text that no longer tokenises.  An untrained
    project exports its seed's initial weights.
    """
    path = Path(folder)
    existing = _check_folder(path, force)  # before building anything
    files = export_files(project, name or "the project")
    if existing:
        clash = [n for n in files if (path / n).exists()]
        if clash and not is_export(path):
            raise CliError(
                f"{path} is not a previous export and already holds {clash[0]}; --force only "
                "replaces a previous export's files — choose an empty or new folder"
            )
    _write(path, files, existing)
    return path


def export_files(project: Project, name: str) -> dict[str, bytes]:
    """Every file of the export, by name, built in memory."""
    network, params = weights(project, name, "there is nothing to export")
    data = project.data()
    train_idx, val_idx = project.split(data)
    kind, dtype = project.model.kind, params.dtype
    state = project.trainer_state
    config = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_by": f"lstm-playground {__version__}",
        "project": name,
        "title": project.title,
        "model": {
            "kind": kind,
            "vocab_size": project.model.vocab_size,
            "hidden_size": project.model.hidden_size,
            "num_layers": 1,
            "nonlinearity": "tanh",
            "input": "one-hot",
            "dtype": project.model.dtype,
        },
        "tokenizer": project.tokenizer,
        "sequences": project.sequences,
        "punctuation": PUNCTUATION,
        "seed": project.seed,
        "train": {
            **config_to_dict(project.train),
            "optimizer_settings": OPTIMIZER_SETTINGS[project.train.optimizer],
        },
    }
    progress = {
        "epoch": 0 if state is None else state.epoch,
        "total_updates": 0 if state is None else state.total_updates,
        "optimizer_steps": 0 if state is None else state.optimizer_steps,
        "generator": (
            seed_generators(project.seed)["train"].bit_generator.state
            if state is None
            else state.rng_state
        ),
        "resume": _resume(project),
    }
    optimizer: dict[str, np.ndarray] = {}
    if state is not None and set(state.optimizer_state) <= set(TORCH_SLOTS):
        for slot, flat in state.optimizer_state.items():
            named = ParamSet(network.shapes, dtype, np.asarray(flat, dtype=dtype))
            for key, a in to_torch(kind, named).items():
                optimizer[f"{TORCH_SLOTS[slot]}/{key}"] = a
    if data.stream is None:
        data_doc = {
            "tokenizer": project.tokenizer,
            "train": _sequences(data.tokens, data.line_numbers, train_idx),
            "validation": _sequences(data.tokens, data.line_numbers, val_idx),
        }
        counts = f"{len(train_idx)} training and {len(val_idx)} validation sequences"
    else:
        data_doc, counts = _stream_doc(project, data)
    files = {
        "README.md": _readme(config, progress, counts),
        "vocab.json": _json(list(data.vocabulary.symbols)),
        "data.json": _data_json(data_doc),
        "text.txt": project.text.encode("utf-8"),
        "weights.npz": _npz(to_torch(kind, params)),
        "optimizer.npz": _npz(optimizer),
        "progress.json": _json(progress),
    }
    for script in SCRIPTS:
        files[script] = (template_folder() / script).read_bytes()
    files["config.json"] = _json(config)  # last: it marks the folder as an export
    return files


def is_export(folder: Path) -> bool:
    """Whether ``folder`` holds an export (its ``config.json`` says so)."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and config.get("format") == FORMAT


def _resume(project: Project) -> dict[str, Any] | None:
    """Where an epoch interrupted mid-way goes on: its order, the next batch (in stream
    mode: the next window, and the state carried into it), and the sums so far (its
    report covers the whole epoch, as the playground's does)."""
    state = project.trainer_state
    if state is None or state.cursor is None or state.cursor_order is None:
        return None
    cursor = state.cursor
    sums = ("loss_sum", "correct", "n_tokens", "grad_norm_sum", "updates")
    resume: dict[str, Any] = {k: cursor[k] for k in ("next_batch", *sums)}
    if project.sequences == "stream":  # the next window, and each stream's state so far
        resume["order"] = []
        carried = state.cursor_state
        resume["state"] = None if carried is None else [a.tolist() for a in carried]
    else:
        resume["order"] = state.cursor_order.tolist()
    return resume


def _stream_doc(project: Project, data: SequenceData) -> tuple[dict[str, Any], str]:
    """Stream mode: ``data.json``'s training part is the text up to the cut as one sequence
    (line breaks as ``"\\n"``), its validation part the rest (none when nothing is held out)."""
    train_ids, val_ids = project.stream_split(data)
    symbols = data.vocabulary.symbols
    train_tokens = [symbols[i] for i in train_ids]
    val_line = 1 + train_tokens.count(NEWLINE)
    val = [[symbols[i] for i in val_ids]] if len(val_ids) >= 2 else []
    doc = {
        "tokenizer": project.tokenizer,
        "sequences": "stream",
        "train": {"lines": [1], "sequences": [train_tokens]},
        "validation": {"lines": [val_line] if val else [], "sequences": val},
    }
    held = f", the last {len(val_ids):,} held out for validation" if val else ""
    return doc, f"the text as one stream of {len(train_ids) + len(val_ids):,} symbols{held}"


def _sequences(
    tokens: tuple[tuple[str, ...], ...], lines: tuple[int, ...], idx: list[int]
) -> dict[str, Any]:
    return {"lines": [lines[i] for i in idx], "sequences": [list(tokens[i]) for i in idx]}


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode()


def _data_json(doc: dict[str, Any]) -> bytes:
    """``data.json`` with one sequence per line: readable, and a tenth of the size of one
    symbol per line.  Each piece is written by ``json.dumps``."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def part(name: str) -> str:
        sequences = doc[name]["sequences"]
        rows = "[\n   " + ",\n   ".join(map(compact, sequences)) + "\n  ]" if sequences else "[]"
        lines = compact(doc[name]["lines"])
        return f' {compact(name)}: {{\n  "lines": {lines},\n  "sequences": {rows}\n }}'

    lines = [f' "tokenizer": {compact(doc["tokenizer"])}', part("train"), part("validation")]
    if "sequences" in doc:
        lines.insert(1, f' "sequences": {compact(doc["sequences"])}')
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode()


def _npz(arrays: Mapping[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    savez: Any = np.savez  # its stubs type every keyword as the allow_pickle flag
    savez(buffer, **arrays)
    return buffer.getvalue()


def _readme(config: dict[str, Any], progress: dict[str, Any], counts: str) -> bytes:
    model, train = config["model"], config["train"]
    rows = [
        ("project", f"{config['project']}" + (f" — {config['title']}" if config["title"] else "")),
        ("model", f"{model['kind'].upper()}, hidden size {model['hidden_size']}, "
                  f"{model['vocab_size']} symbols (one-hot in, softmax out), {model['dtype']}"),
        ("trained", f"{progress['epoch']} epochs, {progress['total_updates']} updates when "
                    "exported (progress.json counts on)"),
        ("data", f"{counts}, tokenizer {config['tokenizer']!r}"),
        ("training", f"{train['optimizer']}, learning rate {train['learning_rate']:g}, "
                     f"batch size {train['batch_size']}, clip norm {train['clip_norm']:g}, "
                     f"seed {config['seed']}"),
    ]  # fmt: skip
    summary = "\n".join(["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])
    text = (template_folder() / "README.md").read_text(encoding="utf-8")
    return text.replace(SUMMARY_MARK, summary).encode("utf-8")


def _check_folder(path: Path, force: bool) -> bool:
    """Refuse a folder the export must not go to; returns whether it is there and not empty."""
    if path.exists() and not path.is_dir():
        raise CliError(f"{path} is a file; give a folder for the export")
    parent = path.absolute().parent
    if not parent.is_dir():
        raise CliError(f"cannot create {path}: the folder {parent} does not exist")
    if not path.is_dir():
        return False
    try:
        empty = next(path.iterdir(), None) is None
    except OSError as exc:
        raise CliError(f"cannot read the folder {path}: {exc.strerror or exc}") from None
    if not empty and not force:
        raise CliError(f"{path} exists and is not empty; add --force to write the export into it")
    return not empty


def _write(path: Path, files: Mapping[str, bytes], existing: bool) -> None:
    """Write ``files`` beside ``path``, then move them in (see the module docstring)."""
    parent = path.absolute().parent
    staging = parent / f".{path.name}.export-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
        for name, content in files.items():
            (staging / name).write_bytes(content)
        if existing:
            for name in files:
                os.replace(staging / name, path / name)
        else:
            if path.is_dir():
                path.rmdir()  # empty: its place is taken by the finished folder
            os.replace(staging, path)
    except OSError as exc:
        where = exc.filename or parent
        problem = exc.strerror or exc
        raise CliError(f"cannot write the export to {path} ({where}: {problem})") from None
    finally:
        with contextlib.suppress(OSError):
            if staging.exists():
                shutil.rmtree(staging)
