"""docs/FORMAT.md stays true: its plain-NumPy snippet runs against a real saved project."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.engine.inference import next_distribution
from app.engine.network import Network
from app.engine.params import ParamSet
from app.project import SCHEMA_VERSION, _zipread, save_project
from tests.project.helpers import make_project

FORMAT_MD = Path(__file__).resolve().parents[2] / "docs" / "FORMAT.md"


def _snippet() -> str:
    text = FORMAT_MD.read_text(encoding="utf-8")
    match = re.search(r"<!-- snippet: read-project -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "the read-project snippet is missing from docs/FORMAT.md"
    return match.group(1)


def test_snippet_reads_a_saved_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(3)
    save_project(project, tmp_path / "dinner.lstmproj")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "format_md_snippet"}
    exec(compile(_snippet(), str(FORMAT_MD), "exec"), namespace)

    state = project.trainer_state
    assert state is not None
    weights = namespace["weights"]
    assert list(weights) == list(state.params)
    for name, array in state.params.items():
        assert np.array_equal(weights[name], array) and weights[name].dtype == array.dtype
    assert sorted(namespace["snapshots"]) == state.snapshot_epochs
    network = Network(project.model)
    initial = ParamSet(network.shapes, network.dtype, state.snapshot_weights[0])
    for name, array in namespace["initial"].items():
        assert np.array_equal(array, initial[name])

    params = ParamSet(network.shapes, network.dtype)
    params.assign(state.params)
    vocab = namespace["doc"]["vocabulary"]
    ids = np.array([vocab.index("pizza"), vocab.index("sushi")])
    expected = next_distribution(network, params, ids)
    by_hand = namespace["lstm_next_symbol"](namespace["doc"], weights, ["pizza", "sushi"])
    np.testing.assert_allclose([by_hand[s] for s in vocab], expected, rtol=1e-12)


def test_documented_numbers_match_the_code() -> None:
    text = FORMAT_MD.read_text(encoding="utf-8")
    assert f"*Schema version {SCHEMA_VERSION}.*" in text
    assert f"≤ {_zipread.MAX_MEMBERS}" in text
    assert f"≤ {_zipread.MAX_JSON_BYTES // 2**20} MiB" in text
    assert f"≤ {_zipread.MAX_TOTAL_BYTES // 2**30} GiB" in text
    assert f"≤ {_zipread.MAX_RATIO} : 1" in text
    assert f"≤ {_zipread.MAX_NPY_HEADER} bytes" in text


def test_documented_field_limits_match_the_code() -> None:
    from app.engine.config import MAX_EPOCH
    from app.project import _jsonio, _trainer_doc

    text = " ".join(FORMAT_MD.read_text(encoding="utf-8").split())
    assert MAX_EPOCH == 2**31 - 1 and "| `epoch` | integer, 0 … 2³¹ − 1 |" in text
    assert f"at most {_jsonio.MAX_UI_VALUES:,} of them" in text
    assert f"at most {_jsonio.MAX_UI_BYTES // 2**10} KiB as compact UTF-8 JSON" in text
    assert f"at most {_jsonio.MAX_JSON_VALUES:,} JSON values" in text
    assert f"at most {_trainer_doc.MAX_HISTORY:,} entries".replace(",", " ") in text
