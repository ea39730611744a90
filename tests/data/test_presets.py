"""Bundled presets: they load, teach what they claim, and broken files fail clearly."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.data.checks import check_text
from app.data.dataset import DEFAULT_STREAM_WINDOW
from app.data.predictable import best_possible_accuracy, prefix_determined
from app.data.presets import (
    TEACHING_ORDER,
    Preset,
    PresetError,
    list_presets,
    load_preset,
    preset_names,
    presets_dir,
)
from app.engine.config import (
    MODEL_KINDS,
    OPTIMIZERS,
    ModelConfig,
    TrainConfig,
    config_from_dict,
)
from app.resources import resource_path

REQUIRED = ["dinner", "dinner-memory", "doug-jane-spot", "long-memory", "chars-text"]
DETERMINISTIC = ["dinner", "dinner-memory", "doug-jane-spot", "long-memory", "frere-jacques"]
SETTINGS_KEYS = {"model", "hidden_size", "optimizer", "learning_rate", "batch_size", "epochs"}
OPTIONAL_KEYS = {"clip_norm", "validation_split"}
MODE_KEYS = {"dtype", "sequences", "window"}  # the number type and how the text is read
ALL = preset_names()


def test_required_presets_in_teaching_order() -> None:
    assert presets_dir() == resource_path("presets")
    assert [n for n in ALL if n in REQUIRED] == REQUIRED
    assert ALL[: len(TEACHING_ORDER)] == list(TEACHING_ORDER)
    assert [p.name for p in list_presets()] == ALL


@pytest.mark.parametrize("name", ALL)
def test_preset_is_clean_and_complete(name: str) -> None:
    preset = load_preset(name)
    mode = preset.settings.sequences
    assert check_text(preset.text, preset.tokenizer, mode) == []  # not even a warning
    assert preset.title.strip() and preset.description.strip()
    sentences = re.findall(r"[.!?](?:\s|$)", preset.description.replace('."', '"'))
    assert 2 <= len(sentences) <= 6  # "2-4 sentences"; quoted story sentences count too
    raw = json.loads((presets_dir() / f"{name}.json").read_text(encoding="utf-8"))
    assert set(raw) == {"name", "title", "description", "tokens", "text", "settings"}
    assert raw["tokens"] == preset.tokenizer.to_string()
    assert SETTINGS_KEYS <= set(raw["settings"]) <= SETTINGS_KEYS | OPTIONAL_KEYS | MODE_KEYS


@pytest.mark.parametrize("name", ALL)
def test_settings_are_valid_engine_configs(name: str) -> None:
    preset = load_preset(name)
    s, raw = preset.settings, _raw(name)["settings"]
    assert s.model in MODEL_KINDS and s.optimizer in OPTIMIZERS and s.epochs >= 1
    vocab_size = len(preset.data().vocabulary)
    model = ModelConfig(kind=s.model, vocab_size=vocab_size, hidden_size=s.hidden_size,
                        dtype=raw.get("dtype", "float64"))  # fmt: skip
    train_fields = {k: raw[k] for k in ("optimizer", "learning_rate", "batch_size")}
    train_fields |= {k: raw[k] for k in OPTIONAL_KEYS if k in raw}
    train_fields["tbptt_window"] = raw.get("window", 0)
    train = config_from_dict(TrainConfig, train_fields)
    assert s.sequences == raw.get("sequences", "lines")
    assert (s.sequences == "stream") <= (train.tbptt_window >= 1)  # a stream needs a window
    assert s.model_config(vocab_size) == model
    assert s.train_config() == train


def test_vocabularies() -> None:
    def vocab(name: str) -> tuple[str, ...]:
        return load_preset(name).data().vocabulary.symbols

    assert vocab("dinner") == ("pizza", "sushi", "waffles")
    assert vocab("dinner-memory") == ("pizza", "sushi", "waffles")
    assert set(vocab("doug-jane-spot")) == {"Doug", "Jane", "Spot", "saw", "."}
    assert len(vocab("doug-jane-spot")) == 5
    assert len(vocab("chars-text")) <= 30
    assert load_preset("chars-text").tokenizer.to_string() == "chars"


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_every_prediction_is_determined_by_its_prefix(name: str) -> None:
    data = load_preset(name).data()
    assert all(mask.all() for mask in prefix_determined(data.tokens))
    assert best_possible_accuracy(data.ids) == 1.0


def test_dinner_follows_the_three_day_cycle() -> None:
    nxt = {"pizza": "sushi", "sushi": "waffles", "waffles": "pizza"}
    data = load_preset("dinner").data()
    assert len(data.tokens) >= 4 and len({len(t) for t in data.tokens}) >= 3
    assert {t[0] for t in data.tokens} == set(nxt)  # starts at every point of the cycle
    assert all(nxt[a] == b for t in data.tokens for a, b in itertools.pairwise(t))


def test_dinner_memory_needs_the_day_before_yesterday() -> None:
    cycle = ["pizza", "sushi", "waffles", "sushi"]
    data = load_preset("dinner-memory").data()
    assert all(len(t) >= 5 for t in data.tokens)
    for t in data.tokens:
        phase = next(k for k in range(4) if cycle[k] == t[0])
        assert list(t) == [cycle[(phase + i) % 4] for i in range(len(t))]
    # Yesterday alone does not decide what follows sushi.
    after_sushi = {b for t in data.tokens for a, b in itertools.pairwise(t) if a == "sushi"}
    assert after_sushi == {"pizza", "waffles"}


def test_doug_jane_spot_is_the_story() -> None:
    story = ["Doug", "saw", "Jane", ".", "Jane", "saw", "Spot", ".", "Spot", "saw", "Doug", "."]
    for t in load_preset("doug-jane-spot").data().tokens:
        start = next(k for k in range(0, 12, 4) if story[k] == t[0])
        assert list(t) == [story[(start + i) % 12] for i in range(len(t))]


def test_long_memory_recalls_the_first_word_fifteen_steps_later() -> None:
    data = load_preset("long-memory").data()
    firsts = [t[0] for t in data.tokens]
    assert 3 <= len(set(firsts)) <= 4
    assert all(firsts.count(c) >= 3 for c in set(firsts))  # each colour several times
    for t in data.tokens:
        assert t[-1] == t[0]
        assert len(t) - 2 >= 15  # the colour is input 15+ steps before it is predicted
        assert t[0] not in t[1:-1]
    assert len({t[1:-1] for t in data.tokens}) == 1  # one fixed run of filler words


def test_coriolanus_is_a_real_text_read_as_one_stream() -> None:
    """Shakespeare by characters, one stream: no line is refused for being short, line
    breaks are a symbol, the source is named (and it is no DETERMINISTIC preset)."""
    preset = load_preset("coriolanus")
    assert preset.settings.sequences == "stream" and preset.tokenizer.to_string() == "chars"
    data = preset.data()
    assert data.mode == "stream" and data.stream is not None
    assert 30_000 <= data.n_tokens <= 60_000  # "a few tens of KB"
    assert "\n" in data.vocabulary.symbols and len(data.vocabulary) <= 100
    assert any(len(line) < 2 for line in preset.text.splitlines())  # lines mode would refuse
    assert "char-rnn" in preset.description and "Shakespeare" in preset.description
    assert preset.settings.model_config(len(data.vocabulary)).dtype == "float32"
    assert "coriolanus" not in DETERMINISTIC


def test_a_stream_preset_needs_a_window(tmp_path: Path) -> None:
    settings = _raw("dinner")["settings"] | {"sequences": "stream", "window": 0}
    _write(tmp_path, "nowindow", settings=settings)
    with pytest.raises(PresetError, match="'window' must be at least 1"):
        load_preset("nowindow", tmp_path)
    _write(tmp_path, "defaults", settings=_raw("dinner")["settings"] | {"sequences": "stream"})
    window = load_preset("defaults", tmp_path).settings.train_config().tbptt_window
    assert window == DEFAULT_STREAM_WINDOW


def _raw(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((presets_dir() / f"{name}.json").read_text("utf-8"))
    return result


# -- broken presets ----------------------------------------------------------------


def _write(folder: Path, stem: str, **changes: Any) -> None:
    raw = _raw("dinner") | {"name": stem} | changes
    (folder / f"{stem}.json").write_text(json.dumps(raw), encoding="utf-8")


def test_unknown_name_lists_the_available_ones() -> None:
    with pytest.raises(PresetError, match=r"no preset named 'supper'; available: dinner, "):
        load_preset("supper")
    with pytest.raises(PresetError, match="no preset named"):
        load_preset("../presets/dinner")


def test_custom_folder_and_order(tmp_path: Path) -> None:
    _write(tmp_path, "zebra")
    _write(tmp_path, "apple")
    _write(tmp_path, "dinner")
    (tmp_path / "Not A Name.json").write_text("{}")
    assert preset_names(tmp_path) == ["dinner", "apple", "zebra"]
    assert isinstance(load_preset("apple", tmp_path), Preset)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"title": ""}, "'title' must be a non-empty string"),
        ({"text": 3}, "'text' must be a non-empty string"),
        ({"name": "other"}, "'name' is 'other' but the file is named 'broken'"),
        ({"extra": 1}, "unknown key"),
        ({"tokens": "sep:"}, "no separator"),
        ({"text": "pizza sushi\npizza"}, "line 2: only one symbol"),
        ({"settings": []}, "'settings' must be a JSON object"),
        ({"settings": {"model": "lstm"}}, "missing key(s) in 'settings': hidden_size"),
    ],
)
def test_broken_file_gives_a_clear_error(
    tmp_path: Path, changes: dict[str, Any], fragment: str
) -> None:
    _write(tmp_path, "broken", **changes)
    with pytest.raises(PresetError, match=r"^preset file broken\.json: ") as info:
        load_preset("broken", tmp_path)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("setting", "value", "fragment"),
    [
        ("hidden_size", True, "'hidden_size' must be int"),
        ("hidden_size", 8.5, "'hidden_size' must be int"),
        ("learning_rate", "fast", "'learning_rate' must be float"),
        ("model", "lstmx", "model must be one of"),
        ("optimizer", "adamw", "optimizer must be one of"),
        ("learning_rate", 0, "learning rate must be in (0, 10]"),
        ("epochs", 0, "'epochs' must be 1…"),
        ("validation_split", 1, "validation split must be in [0, 1)"),
        ("momentum", 0.5, "unknown key(s) in 'settings': momentum"),
        ("sequences", "paragraphs", "unknown sequences 'paragraphs'"),
        ("window", 2.5, "'window' must be int"),
        ("dtype", "float16", "dtype must be one of"),
    ],
)
def test_bad_settings(tmp_path: Path, setting: str, value: object, fragment: str) -> None:
    _write(tmp_path, "broken", settings=_raw("dinner")["settings"] | {setting: value})
    with pytest.raises(PresetError) as info:
        load_preset("broken", tmp_path)
    assert fragment in str(info.value)


def test_integer_json_numbers_are_fine_for_floats(tmp_path: Path) -> None:
    _write(tmp_path, "ints", settings=_raw("dinner")["settings"] | {"learning_rate": 1})
    assert load_preset("ints", tmp_path).settings.learning_rate == 1.0


@pytest.mark.parametrize("content", ["{", "[1, 2]", '"text"'])
def test_not_an_object(tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(PresetError, match=r"bad\.json"):
        load_preset("bad", tmp_path)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_bytes(b'{"name": "\xff"}')
    with pytest.raises(PresetError, match="cannot read"):
        load_preset("bad", tmp_path)
