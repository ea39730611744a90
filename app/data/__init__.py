"""The sequence-data layer: text → symbols → ids, checks, splits and presets.

Pure Python and NumPy; never imports Qt.
"""

from __future__ import annotations

from app.data.checks import Problem, check_text
from app.data.dataset import SequenceData, split_validation
from app.data.errors import DataError
from app.data.predictable import best_possible_accuracy, prefix_determined
from app.data.presets import Preset, PresetError, PresetSettings, list_presets, load_preset
from app.data.tokenize import TokenizerSpec, tokenize_line, tokenize_text
from app.data.vocab import UnknownSymbolError, Vocabulary

__all__ = [
    "DataError",
    "Preset",
    "PresetError",
    "PresetSettings",
    "Problem",
    "SequenceData",
    "TokenizerSpec",
    "UnknownSymbolError",
    "Vocabulary",
    "best_possible_accuracy",
    "check_text",
    "list_presets",
    "load_preset",
    "prefix_determined",
    "split_validation",
    "tokenize_line",
    "tokenize_text",
]
