"""An edit in a huge text is checked once, whichever views ask (not once per view)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from app.data.dataset import SequenceData
from app.project.project import Project
from app.ui.document import text_check
from app.ui.document.text_check import TextCheck


def test_every_view_shares_one_check_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    from_text = SequenceData.from_text

    def counting(*args: object, **kwargs: object) -> SequenceData:
        calls.append(1)
        return from_text(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SequenceData, "from_text", staticmethod(counting))
    text_check.gives_sequences.cache_clear()
    project = Project(text="a b c\nb c a\n", tokenizer="words")
    views = [TextCheck() for _ in range(3)]
    assert not any(v.update(project) for v in views)  # trainable, as assumed
    assert len(calls) == 1
    edited = replace(project, text=project.text + "c a b\n")
    for v in views:
        v.update(edited)
    assert len(calls) == 2
    bad = replace(project, text="a\n")
    assert all(v.update(bad) for v in views) and len(calls) == 3
    assert not any(v.trainable for v in views)


def test_an_edit_in_a_million_symbol_text_costs_one_check() -> None:
    line = " ".join(f"w{i % 500}" for i in range(20))
    text = "\n".join([line] * 10_000)  # 200,000 symbols: the cost is linear
    project = Project(text=text, tokenizer="words")
    views = [TextCheck() for _ in range(3)]
    started = time.perf_counter()
    views[0].update(project)
    one = time.perf_counter() - started
    started = time.perf_counter()
    for v in views[1:]:
        v.update(project)
    assert time.perf_counter() - started < max(0.2 * one, 0.01)
