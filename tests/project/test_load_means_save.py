"""Whatever loads can be saved again: unpaired surrogates, a bloated ``ui`` and JSON that
indentation would push past the size limit are all settled at load (or by the writer)."""

from __future__ import annotations

import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.project import ProjectFileError, _jsonio, load_project, save_project
from tests.project.helpers import edit_json, make_project, read_members, write_members

Edit = Callable[[dict[str, Any]], Any]


def _history(doc: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = doc["trainer"]["history"][0]
    return entry


SURROGATE_FIELDS: list[tuple[Edit, str]] = [
    (lambda d: d.update(title="a\ud800"), "field title"),
    (lambda d: d.update(description="\udfff"), "field description"),
    (lambda d: d.update(preset="\ud800"), "field preset"),
    (lambda d: d.update(app_version="\ud800"), "field app_version"),
    (lambda d: d.update(tokenizer="sep:\ud800"), "field tokenizer"),
    (lambda d: d.update(text=d["text"] + "a \ud800\n"), "field text"),
    (lambda d: d["vocabulary"].__setitem__(1, "\ud800"), r"field vocabulary\[1\]"),
    (lambda d: d["ui"].update({"\ud800": 1}), "field ui"),
    (lambda d: d["ui"].update(panels=["loss", "\ud800"]), r"field ui\.panels\[1\]"),
    (
        lambda d: _history(d).update(stop_reason="\ud800"),
        r"field trainer\.history\[0\]\.stop_reason",
    ),
    (
        lambda d: d["trainer"]["snapshots"]["items"][0]["metrics"].update({"\ud800": 1.0}),
        r"field trainer\.snapshots\.items\[0\]\.metrics",
    ),
]


@pytest.mark.parametrize(("edit", "field"), SURROGATE_FIELDS)
def test_an_unpaired_surrogate_is_refused_at_load_naming_the_field(
    trained: Path, edit: Edit, field: str
) -> None:
    edit_json(trained, edit)  # json.dumps writes the lone surrogate as the escape \ud800
    with pytest.raises(ProjectFileError, match=rf"{field} holds an unpaired surrogate") as info:
        load_project(trained)
    assert "which is not a character" in str(info.value)


def test_a_surrogate_pair_is_one_character_and_loads(trained: Path) -> None:
    edit_json(trained, lambda d: d.update(title="pizza \U0001f355"))  # written as \ud83c\udf55
    assert "\\ud83c\\udf55" in read_members(trained)["project.json"].decode()
    assert load_project(trained).title == "pizza \U0001f355"


def _zeros_in_ui(path: Path, n: int) -> None:
    """Deflate compresses zeros ~1000:1: a small file whose ``ui`` holds ``n`` of them."""
    save_project(make_project(), path)
    doc = json.loads(read_members(path)["project.json"])
    body = json.dumps({**doc, "ui": "@"}).replace('"@"', '{"x": [' + ",".join("0" * n) + "]}")
    write_members(path, {"project.json": body.encode()}, zipfile.ZIP_DEFLATED)


@pytest.mark.parametrize(
    ("n", "limit"),
    [
        pytest.param(30_000_000, None, marks=pytest.mark.slow),  # the file
        (3_000_000, 1_000_000),  # the same, counted before parsing, at a lower limit
        (3_000_000, None),  # parsed, then refused by the ui check
        (_jsonio.MAX_UI_VALUES, None),
    ],
)
def test_a_ui_of_millions_of_zeros_is_refused_quickly_naming_ui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: int, limit: int | None
) -> None:
    if limit is not None:
        monkeypatch.setattr(_jsonio, "MAX_JSON_VALUES", limit)
    path = tmp_path / "zeros.lstmproj"
    _zeros_in_ui(path, n)
    started = time.perf_counter()
    with pytest.raises(ProjectFileError, match=r"field ui( holds|\))"):
        load_project(path)
    assert time.perf_counter() - started < 10  # was 33 s (and 376 MB) for 30 million


def test_the_ui_check_stops_counting_at_its_bound() -> None:
    huge = {"x": [0] * 5_000_000}
    tracemalloc.start()
    try:
        with pytest.raises(_jsonio.FormatProblem, match="field ui holds more than 4,096 values"):
            _jsonio.check_json_value(huge, "ui")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # nothing is built per element


@pytest.mark.parametrize(
    ("ui", "match"),
    [
        ({"prompt": "é" * (_jsonio.MAX_UI_BYTES // 2)}, "more than 256 KiB of JSON"),
        ({"prompt": "x" * 10_000_000}, "more than 256 KiB of JSON"),
        ({"a": [[[]]] * 3000}, "more than 4,096 values"),
    ],
)
def test_ui_is_bounded_by_size_and_count_on_save_too(
    tmp_path: Path, ui: dict[str, Any], match: str
) -> None:
    project = make_project()
    project.ui = ui
    with pytest.raises(ProjectFileError, match=rf"field ui holds {match}"):
        save_project(project, tmp_path / "p.lstmproj")


def test_the_longest_prompt_the_window_can_store_fits() -> None:
    _jsonio.check_json_value({"generate": {"prompt": "\x01" * 32_767}, "cell": [1, 2]}, "ui")


def test_json_that_indentation_would_push_past_the_limit_is_saved_compact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(2)
    doc_indented = _jsonio.dumps({"a": [1, 2, 3]})
    assert b"\n" in doc_indented
    path = tmp_path / "p.lstmproj"
    save_project(project, path)
    indented = len(read_members(path)["project.json"])
    compact = len(json.dumps(json.loads(read_members(path)["project.json"]),
                             ensure_ascii=False, separators=(",", ":")).encode())  # fmt: skip
    monkeypatch.setattr(_jsonio, "MAX_JSON_BYTES", (indented + compact) // 2)
    save_project(project, path)  # would be refused if written indented
    stored = read_members(path)["project.json"]
    assert b"\n" not in stored and len(stored) == compact
    assert load_project(path).title == project.title
