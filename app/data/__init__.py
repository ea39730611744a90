"""The sequence-data layer: text → symbols → ids, checks, splits and presets.

Pure Python and NumPy; never imports Qt.
"""

from __future__ import annotations

from app.data.checks import Problem, check_text
from app.data.dataset import (
    DEFAULT_STREAM_WINDOW,
    EXCERPT_SYMBOLS,
    SequenceData,
    split_validation,
    stream_cut,
)
from app.data.errors import DataError
from app.data.predictable import best_possible_accuracy, prefix_determined
from app.data.presets import Preset, PresetError, PresetSettings, list_presets, load_preset
from app.data.tokenize import (
    NEWLINE,
    SEQUENCE_MODES,
    SequenceMode,
    TokenizerSpec,
    check_mode,
    display_symbol,
    tokenize_line,
    tokenize_text,
)
from app.data.vocab import UnknownSymbolError, Vocabulary

__all__ = [
    "DEFAULT_STREAM_WINDOW",
    "EXCERPT_SYMBOLS",
    "NEWLINE",
    "SEQUENCE_MODES",
    "DataError",
    "Preset",
    "PresetError",
    "PresetSettings",
    "Problem",
    "SequenceData",
    "SequenceMode",
    "TokenizerSpec",
    "UnknownSymbolError",
    "Vocabulary",
    "best_possible_accuracy",
    "check_mode",
    "check_text",
    "display_symbol",
    "list_presets",
    "load_preset",
    "prefix_determined",
    "split_validation",
    "stream_cut",
    "tokenize_line",
    "tokenize_text",
]
