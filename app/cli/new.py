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
from app.data import (
    DEFAULT_STREAM_WINDOW,
    DataError,
    SequenceData,
    SequenceMode,
    TokenizerSpec,
    check_text,
    load_preset,
)
from app.engine.config import ModelConfig, TrainConfig
from app.engine.memory import stream_training_problem
from app.engine.network import Network
from app.engine.stream import StreamLayout
from app.project import Project, save_project


def cmd_new(args: argparse.Namespace) -> int:
    out = check_output_path(args.out, args.force)
    extra: dict[str, Any] = {}
    sequences: SequenceMode = "lines"
    if args.preset is not None:
        preset = load_preset(args.preset)
        text, tokens, s = preset.text, preset.tokenizer.to_string(), preset.settings
        model = s.model_config(1)  # (the vocabulary size is the text's, set below)
        train = s.train_config()
        sequences = s.sequences
        extra = {"title": preset.title, "description": preset.description, "preset": preset.name}
    else:
        text, tokens = read_text_file(args.text_file), "words"
        model, train = ModelConfig(), TrainConfig()
        extra = {"title": Path(args.text_file).stem if args.text_file != "-" else ""}
    tokens = args.tokens if args.tokens is not None else tokens
    if args.sequences is not None and args.sequences != sequences:
        sequences = args.sequences
        window = DEFAULT_STREAM_WINDOW if sequences == "stream" else 0
        train = replace(train, tbptt_window=window)  # the mode's default, not the preset's
    if args.window is not None:
        train = replace(train, tbptt_window=args.window)
    if sequences == "stream" and train.tbptt_window < 1:
        raise CliError("stream mode needs --window of at least 1")
    model = _override(
        model, kind=args.model, hidden_size=args.hidden, dtype=args.dtype, bias_init=args.bias_init
    )
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
        project = Project.from_text(
            text, tokens, model=model, train=train, sequences=sequences, **extra
        )
    except DataError as exc:
        raise CliError(f"{source}: {exc}") from None
    for problem in check_text(text, spec, sequences):
        note(f"warning: {source}: {problem}")  # errors were raised above; these are warnings
    data = project.data()
    if data.stream is not None:
        _check_stream_memory(project)
    save_project(project, out)
    m = project.model
    print(
        f"Created {out}: {_text_words(project, data)}, {len(data.vocabulary)} symbols, "
        f"{m.kind.upper()} with hidden size {m.hidden_size} "
        f"({parameter_count(m):,} parameters){clamp_words(m)}, untrained.\n"
        f"Train it with: {PROG} train {out}"
    )
    return EXIT_OK


def _text_words(project: Project, data: SequenceData) -> str:
    if data.stream is None:
        return f"{data.n_sequences} sequences"
    return f"one stream of {data.n_tokens:,} symbols (windows of {project.train.tbptt_window})"


def _check_stream_memory(project: Project) -> None:
    """Refuse a window too big to train (the trainer's own judgement), before writing."""
    train_ids, _ = project.stream_split()
    t = project.train
    layout = StreamLayout.of(len(train_ids), t.batch_size, t.tbptt_window)
    steps = min(t.tbptt_window, layout.steps)  # a window longer than the streams is cut
    problem = stream_training_problem(Network(project.model), layout.streams, steps)
    if problem is not None:
        raise CliError(problem[0].upper() + problem[1:])


def _override(config: Any, **changes: Any) -> Any:
    return replace(config, **{k: v for k, v in changes.items() if v is not None})
