"""A project whose batches would not fit in memory loads, and is refused when trained."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from app.engine import memory
from app.engine.config import ModelConfig, TrainConfig
from app.engine.memory import BatchTooBig
from app.project import Project, load_project, save_project
from tests.project.helpers import make_project


def test_it_loads_and_says_what_to_change_when_trained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(batch_size=3)  # 3 lines of 4 words over 3 symbols
    path = tmp_path / "p.lstmproj"
    save_project(project, path)
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", 1_000)
    loaded = load_project(path)  # a training-time limit: the file is fine
    assert loaded.text == project.text
    with pytest.raises(BatchTooBig, match=r"^One training batch needs about .* 3 sequences × 4 "):
        loaded.make_trainer()
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", 10**9)
    loaded.make_trainer()  # the same project trains within a larger budget


@pytest.mark.slow  # ~3 s to build and tokenise the text (tests/engine has a fast twin)
def test_the_real_size_text_is_refused_quickly_without_allocating(
    request: pytest.FixtureRequest,
) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long run: select it with -m slow")
    vocab, lines, words = 4096, 40, 10_000
    ids = np.random.default_rng(0).integers(0, vocab, size=(lines, words))
    ids[0, :vocab] = np.arange(vocab)  # every symbol appears
    names = [f"w{k}" for k in range(vocab)]
    text = "\n".join(" ".join(names[k] for k in row) for row in ids.tolist())
    model, train = ModelConfig(hidden_size=16), TrainConfig(batch_size=40)
    project = Project.from_text(text, "words", model=model, train=train)
    assert project.model.vocab_size == vocab  # every limit of the text is met
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(BatchTooBig, match=r"40 sequences × 10,000 symbols .* 4,096 distinct"):
            project.make_trainer()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200_000_000  # the text tokenised again; one batch would need ~29 GB
    assert time.perf_counter() - started < 30
