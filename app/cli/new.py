"""``new``: a project file from a text file or a preset, untrained."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.cli.common import (
    EXIT_OK,
    PROG,
    CliError,
    check_output_path,
    note,
    parameter_count,
    read_text_file,
)
from app.cli.experiment import clamp_words, parse_clamps
from app.data import DataError, TokenizerSpec, check_text, load_preset
from app.engine.config import ModelConfig, TrainConfig
from app.project import Project, save_project


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
    if args.clamp:
        pairs = tuple((c.gate, c.value) for c in parse_clamps(args.clamp, None))
        model = replace(model, clamp=pairs)  # checked against the model: one ConfigError line
    train = _override(
        train,
        optimizer=args.optimizer,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        clip_norm=args.clip,
        validation_split=args.validation_split,
        bucketing=args.bucketing,
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
        f"({parameter_count(m):,} parameters){clamp_words(m)}, untrained.\n"
        f"Train it with: {PROG} train {out}"
    )
    return EXIT_OK


def _override(config: Any, **changes: Any) -> Any:
    return replace(config, **{k: v for k, v in changes.items() if v is not None})
