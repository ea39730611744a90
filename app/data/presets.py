"""Bundled example texts with recommended settings, read from ``resources/presets/*.json``.

Each file holds one JSON object::

    {"name": "dinner", "title": "...", "description": "...", "tokens": "words",
     "text": "pizza sushi waffles ...\\n...",
     "settings": {"model": "lstm", "hidden_size": 8, "optimizer": "adam",
                  "learning_rate": 0.05, "batch_size": 4, "epochs": 150,
                  "clip_norm": 5.0, "validation_split": 0.0}}

``clip_norm``, ``validation_split``, ``dtype`` (``"float64"``/``"float32"``),
``sequences`` (``"lines"``, the default, or ``"stream"``: the whole text is one
sequence, each line break a symbol) and ``window`` (the truncation window, steps per
update with the state carried; a stream without one trains in windows of
:data:`~app.data.dataset.DEFAULT_STREAM_WINDOW`) are optional.  ``epochs`` is a generous estimate
of how long an LSTM with these settings takes to learn the text.  Loading checks
everything (keys, types, the tokenizer, the text, the settings against the engine's
configs) and reports any fault as a :class:`PresetError` naming the file.

What each bundled preset is designed so that a model can learn (the tests check the
first five with :func:`app.data.predictable.prefix_determined`):

``dinner``
    pizza → sushi → waffles → pizza …; every next dinner follows from the last one.
``dinner-memory``
    pizza, sushi, waffles, sushi …; what follows sushi depends on the night before.
    Every line starts with pizza or waffles (never sushi), so *every* prediction,
    the first included, is determined by the line so far: 100% is reachable.
``doug-jane-spot``
    The story from the lecture; every line starts at a sentence, so every word is
    determined (after "saw" by the subject two words back, after "." by the object).
``long-memory``
    colour, one … fifteen, colour: all determined; the last needs 15 steps of memory.
``frere-jacques``
    The tune, each bar twice; lines start at a bar, so every note is determined.
``chars-text``
    A nursery rhyme by characters; no claim beyond a small vocabulary (≤ 30).
``forget-stream``
    One long colour stream per line, no fresh start; after "?" comes the last colour
    said.  The LSTM learns it; with ``forget=1`` (the 1997 LSTM) the memory only adds up
    and the answers stay at chance (tests/data/test_forget_lesson.py).
``coriolanus``
    A real text read as one stream: the opening of Shakespeare's *Coriolanus* (40 KB,
    public domain, as in the "tiny shakespeare" file of Karpathy's char-rnn), by
    characters.  Nothing is predictable for sure; within a minute of training the
    roll-outs of Generate show words, line breaks and speakers' names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.data.dataset import DEFAULT_STREAM_WINDOW, SequenceData
from app.data.errors import DataError
from app.data.tokenize import SequenceMode, TokenizerSpec, check_mode
from app.engine.config import ConfigError, ModelConfig, TrainConfig
from app.engine.text import quoted
from app.resources import resource_path

TEACHING_ORDER = (
    "dinner",
    "dinner-memory",
    "doug-jane-spot",
    "long-memory",
    "chars-text",
    "frere-jacques",
    "forget-stream",
    "coriolanus",
)
"""The order presets are listed in; any other preset file follows, by name."""

MAX_EPOCHS = 1_000_000
_NAME_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # also keeps names from escaping the folder
_KEYS = ("name", "title", "description", "tokens", "text", "settings")
_REQUIRED_SETTINGS = {
    "model": str,
    "hidden_size": int,
    "optimizer": str,
    "learning_rate": float,
    "batch_size": int,
    "epochs": int,
}
_OPTIONAL_SETTINGS = {
    "clip_norm": float,
    "validation_split": float,
    "dtype": str,
    "sequences": str,
    "window": int,
}


class PresetError(DataError):
    """A preset does not exist or its file is broken."""


@dataclass(frozen=True)
class PresetSettings:
    """Recommended training settings; ``None`` leaves the engine's default in place."""

    model: str
    hidden_size: int
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    clip_norm: float | None = None
    validation_split: float | None = None
    dtype: str | None = None
    sequences: SequenceMode = "lines"
    window: int | None = None

    def model_config(self, vocab_size: int) -> ModelConfig:
        """The network shape for a text with ``vocab_size`` symbols."""
        config = ModelConfig(kind=self.model, vocab_size=vocab_size, hidden_size=self.hidden_size)
        return config if self.dtype is None else replace(config, dtype=self.dtype)

    def train_config(self, base: TrainConfig | None = None) -> TrainConfig:
        """``base`` (default: engine defaults) with these settings applied."""
        config = replace(
            base or TrainConfig(),
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            batch_size=self.batch_size,
        )
        if self.clip_norm is not None:
            config = replace(config, clip_norm=self.clip_norm)
        if self.validation_split is not None:
            config = replace(config, validation_split=self.validation_split)
        if self.window is not None:
            config = replace(config, tbptt_window=self.window)
        elif self.sequences == "stream" and config.tbptt_window < 1:
            config = replace(config, tbptt_window=DEFAULT_STREAM_WINDOW)
        return config


@dataclass(frozen=True)
class Preset:
    """One example: its text, how to tokenize it (the file's ``tokens``), and settings."""

    name: str
    title: str
    description: str
    tokenizer: TokenizerSpec
    text: str
    settings: PresetSettings

    def data(self) -> SequenceData:
        """The preset's text, tokenized and encoded (as lines or as one stream)."""
        return SequenceData.from_text(self.text, self.tokenizer, mode=self.settings.sequences)


def presets_dir() -> Path:
    """Where the bundled presets live (works from source and when frozen)."""
    return resource_path("presets")


def preset_names(directory: Path | None = None) -> list[str]:
    """Names of the available presets in teaching order, without loading them."""
    folder = presets_dir() if directory is None else directory
    found = {p.stem for p in folder.glob("*.json") if _NAME_RE.fullmatch(p.stem)}
    ordered = [n for n in TEACHING_ORDER if n in found]
    return ordered + sorted(found - set(TEACHING_ORDER))


def list_presets(directory: Path | None = None) -> list[Preset]:
    """Every preset, loaded and checked, in teaching order."""
    return [load_preset(name, directory) for name in preset_names(directory)]


def load_preset(name: str, directory: Path | None = None) -> Preset:
    """Load and check one preset by name.

    Raises
    ------
    PresetError
        If there is no such preset (the message lists the available ones) or its file
        is broken in any way (the message names the file and the fault).
    """
    folder = presets_dir() if directory is None else directory
    path = folder / f"{name}.json"
    if not (isinstance(name, str) and _NAME_RE.fullmatch(name) and path.is_file()):
        available = ", ".join(preset_names(folder)) or "none"
        raise PresetError(f"no preset named {quoted(name)}; available: {available}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PresetError(f"cannot read preset file {path.name}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise PresetError(f"preset file {path.name} is not valid JSON: {exc}") from exc
    try:
        return _parse(raw, name)
    except (DataError, ConfigError) as exc:
        raise PresetError(f"preset file {path.name}: {exc}") from exc


def _parse(raw: Any, name: str) -> Preset:
    if not isinstance(raw, dict):
        raise PresetError("the file must hold one JSON object")
    _check_keys(raw, required=_KEYS, optional=(), where="")
    for key in ("name", "title", "description", "tokens", "text"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise PresetError(f"{key!r} must be a non-empty string")
    if raw["name"] != name:
        raise PresetError(f"'name' is {quoted(raw['name'])} but the file is named {quoted(name)}")
    preset = Preset(
        name=name,
        title=raw["title"],
        description=raw["description"],
        tokenizer=TokenizerSpec.parse(raw["tokens"]),
        text=raw["text"],
        settings=_parse_settings(raw["settings"]),
    )
    # Build everything the app will build, so a bad preset fails here, in the tests.
    data = preset.data()
    preset.settings.model_config(len(data.vocabulary))
    train = preset.settings.train_config()
    if preset.settings.sequences == "stream" and train.tbptt_window < 1:
        raise PresetError("a stream trains in windows: setting 'window' must be at least 1")
    return preset


def _parse_settings(raw: Any) -> PresetSettings:
    if not isinstance(raw, dict):
        raise PresetError("'settings' must be a JSON object")
    _check_keys(raw, _REQUIRED_SETTINGS, _OPTIONAL_SETTINGS, where=" in 'settings'")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        expected = {**_REQUIRED_SETTINGS, **_OPTIONAL_SETTINGS}[key]
        # JSON has one number type: accept 1 for 1.0, but never true for 1.
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not expected:
            raise PresetError(f"setting {key!r} must be {expected.__name__}, got {quoted(value)}")
        values[key] = value
    if "sequences" in values:
        values["sequences"] = check_mode(values["sequences"])
    if not 1 <= values["epochs"] <= MAX_EPOCHS:
        raise PresetError(f"setting 'epochs' must be 1…{MAX_EPOCHS}, got {values['epochs']}")
    return PresetSettings(**values)


def _check_keys(
    raw: dict[str, Any], required: Iterable[str], optional: Iterable[str], where: str
) -> None:
    missing = [k for k in required if k not in raw]
    unknown = sorted(set(raw) - set(required) - set(optional))
    if missing:
        raise PresetError(f"missing key(s){where}: {', '.join(missing)}")
    if unknown:
        raise PresetError(f"unknown key(s){where}: {', '.join(unknown)}")
