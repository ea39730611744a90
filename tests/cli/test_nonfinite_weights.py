"""Weights that hold NaN or infinities (FORMAT.md allows them): every command that computes
from them says so in one line, exit 2, and changes nothing; ``info`` shows where they are."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.__main__ import main
from app.project import load_project, save_project
from tests.cli.test_cli import files, run

PREFIX = "lstm-playground: error: "
Poke = Callable[..., Path]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dinner preset trained briefly (shared: copy before changing)."""
    path = tmp_path_factory.mktemp("nan") / "base.lstmproj"
    assert main(["new", str(path), "--preset", "dinner"]) == 0
    assert main(["train", str(path), "--epochs", "3"]) == 0
    return path


@pytest.fixture
def poked(tmp_path: Path, trained: Path) -> Poke:
    """``poked(value, array)``: a copy of ``trained`` whose latest weights have one value of
    ``array`` set to ``value``, and a text file beside it."""

    def poke(value: float, array: str = "Wx") -> Path:
        project = load_project(trained)
        assert project.trainer_state is not None
        project.trainer_state.params[array].flat[2] = value
        path = tmp_path / "dinner.lstmproj"
        save_project(project, path)
        (tmp_path / "text.txt").write_text("pizza sushi waffles\nsushi waffles\n")
        return path

    return poke


COMMANDS = [
    ("predict", "--prefix", "pizza sushi"),
    ("predict", "--prefix", "pizza", "--json"),
    ("predict", "--prefix", "pizza", "--generate", "5", "--temperature", "1", "--json"),
    ("evaluate", "--text-file", "{text}"),
    ("evaluate", "--text-file", "{text}", "--json"),
    ("train", "--epochs", "2"),
    ("train", "--epochs", "2", "--json"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("value", "array", "what"),
    [(np.nan, "Wx", "NaN (1 of 411 values, in Wx)"), (-np.inf, "by", "infinite values (1 of")],
)
def test_commands_refuse_nonfinite_weights_in_one_line(
    poked: Poke,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
    value: float,
    array: str,
    what: str,
) -> None:
    path = poked(value, array)
    before = files(path.parent)
    name, *rest = command
    args = [a.format(text=path.parent / "text.txt") for a in rest]
    code, out, err = run(capsys, name, path, *args)
    assert code == 2 and out == ""  # --json: no half-written (or invalid) JSON either
    assert err.count("\n") == 1 and err.startswith(f"{PREFIX}{path}: the weights hold {what}")
    assert "internal error" not in err and "learning rate" not in err
    advice = "training cannot start from them" if name == "train" else "nothing can be computed"
    assert advice in err and "lstm-playground new" in err
    assert files(path.parent) == before  # nothing written


def test_weights_too_large_to_compute_with_are_refused_too(
    poked: Poke, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finite, but so large that every logit overflows: the predictions would be NaN."""
    path = poked(0.0)
    project = load_project(path)
    st = project.trainer_state
    assert st is not None
    st.params["Wx"][...] = 50.0  # every hidden value saturates at 1 …
    st.params["Wy"][...] = 1e308  # … and 8 × 1e308 overflows
    save_project(project, path)
    text = path.parent / "text.txt"
    for args in (["predict", path, "--prefix", "pizza", "--json"],
                 ["evaluate", path, "--text-file", text, "--json"]):  # fmt: skip
        code, out, err = run(capsys, *args)
        assert (code, out) == (2, "")
        assert err == f"{PREFIX}{path}: the weights are too large to compute with (the " + (
            "predictions come out NaN); start again from new weights (Reset in the window, "
            "or 'lstm-playground new')\n"
        )


def test_info_shows_where_the_weights_hold_nan(
    poked: Poke, capsys: pytest.CaptureFixture[str]
) -> None:
    path = poked(np.nan, "Wh")
    project = load_project(path)
    assert project.trainer_state is not None
    project.trainer_state.snapshot_weights[1][0] = np.inf  # epoch 1
    save_project(project, path)
    code, out, err = run(capsys, "info", path)
    assert code == 0 and err == ""
    lines = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    assert lines["Weights"].strip() == (
        "the weights hold NaN (1 of 411 values, in Wh): predict, evaluate and train refuse them"
    )
    assert lines["Snapshots"].strip().endswith("; 1 holds NaN or infinite values (epoch 1)")
    code, out, _ = run(capsys, "info", path, "--json")
    info = json.loads(out)  # valid JSON
    assert code == 0 and info["weights_problem"].startswith("the weights hold NaN (1 of 411")
    assert info["nonfinite_snapshots"] == [1]


def test_info_of_finite_weights_has_no_weights_line(
    trained: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "info", trained)
    assert code == 0 and "Weights:" not in out and "NaN" not in out
    info = json.loads(run(capsys, "info", trained, "--json")[1])
    assert info["weights_problem"] is None and info["nonfinite_snapshots"] == []
