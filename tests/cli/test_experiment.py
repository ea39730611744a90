"""``predict --clamp/--knockout/--wipe-after/--gates`` and ``new --clamp``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.__main__ import main
from tests.cli.test_cli import PREFIX, files, run, run_json

PREFIX_WORDS = "pizza sushi waffles pizza sushi"


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An LSTM (hidden 6), a GRU (hidden 4) and an RNN of the dinner preset, untrained."""
    folder = tmp_path_factory.mktemp("experiment")
    for kind, hidden in [("lstm", "6"), ("gru", "4"), ("rnn", "4")]:
        path = folder / f"{kind}.lstmproj"
        assert (
            main(["new", str(path), "--preset", "dinner", "--model", kind, "--hidden", hidden]) == 0
        )
    return folder


def _predict(capsys: pytest.CaptureFixture[str], path: Path, *flags: str) -> dict:
    return run_json(capsys, "predict", path, "--prefix", PREFIX_WORDS, *flags)


def _probs(result: dict) -> np.ndarray:
    return np.array([s["probs"] for s in result["sequences"][0]["steps"]])


def test_gates_adds_each_steps_gates_hidden_and_memory(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _predict(capsys, projects / "lstm.lstmproj")
    assert "interventions" not in plain and set(plain["sequences"][0]["steps"][0]) == {
        "input",
        "probs",
    }
    result = _predict(capsys, projects / "lstm.lstmproj", "--gates")
    for step in result["sequences"][0]["steps"]:
        assert set(step) == {"input", "probs", "gates", "hidden", "cell"}
        assert list(step["gates"]) == ["forget", "input", "output", "candidate"]
        assert all(len(v) == 6 for v in [*step["gates"].values(), step["hidden"], step["cell"]])
    np.testing.assert_array_equal(_probs(result), _probs(plain))
    gru = _predict(capsys, projects / "gru.lstmproj", "--gates")["sequences"][0]["steps"][0]
    assert set(gru) == {"input", "probs", "gates", "hidden"}
    assert list(gru["gates"]) == ["reset", "update", "candidate"] and len(gru["hidden"]) == 4
    rnn = _predict(capsys, projects / "rnn.lstmproj", "--gates")["sequences"][0]["steps"][0]
    assert rnn["gates"] == {} and len(rnn["hidden"]) == 4


def test_select_0_gives_the_same_prediction_at_every_step(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _predict(capsys, projects / "lstm.lstmproj", "--clamp", "select=0", "--gates")
    probs = _probs(result)
    assert (probs == probs[0]).all()
    assert result["interventions"] == ["select/output gate held at 0 (every unit)"]
    steps = result["sequences"][0]["steps"]
    assert all(not any(s["hidden"]) and set(s["gates"]["output"]) == {0.0} for s in steps)
    assert not (_probs(_predict(capsys, projects / "lstm.lstmproj")) == probs[0]).all()


def test_clamps_repeat_or_take_commas_and_chosen_units(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = projects / "lstm.lstmproj"
    commas = _predict(capsys, path, "--clamp", "forget=0,ignore=1", "--gates")
    repeated = _predict(capsys, path, "--clamp", "forget=0", "--clamp", "input=1", "--gates")
    assert commas == repeated
    units = _predict(capsys, path, "--clamp", "forget@0,3=1,select@4-5=0", "--gates")
    for step in units["sequences"][0]["steps"]:
        forget, output = np.array(step["gates"]["forget"]), np.array(step["gates"]["output"])
        assert (forget[[0, 3]] == 1).all() and (forget[[1, 2, 4, 5]] < 1).all()
        assert (output[4:] == 0).all() and (output[:4] > 0).all()
    assert units["interventions"] == [
        "forget gate held at 1 (units 0, 3)",
        "select/output gate held at 0 (units 4, 5)",
    ]


def test_knockout_and_wipe(projects: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = projects / "gru.lstmproj"
    plain = _probs(_predict(capsys, path))
    every = _probs(_predict(capsys, path, "--knockout", "all"))
    assert (every == every[0]).all()
    some = _predict(capsys, path, "--knockout", "1-2", "--gates")
    assert all(s["hidden"][1:3] == [0, 0] for s in some["sequences"][0]["steps"])
    wiped = _probs(_predict(capsys, path, "--wipe-after", "3"))
    np.testing.assert_array_equal(wiped[:3], plain[:3])
    assert not np.allclose(wiped[3:], plain[3:])


def test_the_text_output_says_what_was_changed(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = projects / "lstm.lstmproj"
    code, out, err = run(capsys, "predict", path, "--prefix", "pizza", "--clamp", "forget=0",
                         "--knockout", "2", "--gates", "--generate", "2")  # fmt: skip
    assert code == 0, err
    assert out.startswith("experiment (the weights are untouched): forget gate held at 0 "
                          "(every unit); unit 2 knocked out")  # fmt: skip
    assert "(untouched: " in out
    generated = out.splitlines()[-4:]
    assert generated[0].startswith("generated (greedy):") and generated[2] == "untouched:"
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line[:6] == " " * 6}
    assert set(rows) == {"forget", "ignore", "select", "possibilities", "h", "c"}
    assert rows["forget"] == ["+0.00"] * 6 and rows["h"][2] == "+0.00"
    _, _, err = run(capsys, "predict", path, "--prefix", "pizza", "--wipe-after", "1")
    assert "changes nothing here" in err


BAD = {
    "unknown gate": (["--clamp", "remember=1"], "unknown gate 'remember'; the LSTM's gates are"),
    "value above 1": (["--clamp", "forget=1.5"], "'forget=1.5': the value must be a number from 0"),
    "not a number": (["--clamp", "forget=lots"], "the value must be a number from 0 to 1"),
    "no value": (["--clamp", "forget"], "expected GATE=VALUE"),
    "gate of a GRU": (["--clamp", "update=1"], "the LSTM has no update gate"),
    "unit too large": (["--knockout", "6"], "unit 6 is out of range; the network has 6 hidden"),
    "clamp unit": (["--clamp", "forget@0,9=1"], "'forget@0,9=1': unit 9 is out of range"),
    "bad units": (["--knockout", "x"], "units must be numbers from 0"),
    "backwards": (["--knockout", "4-2"], "runs backwards"),
    "wipe 0": (["--wipe-after", "0"], "argument --wipe-after: must be between 1"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_experiment_flags_are_one_line_exit_2(
    case: str, projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags, message = BAD[case]
    code, out, err = run(capsys, "predict", projects / "lstm.lstmproj", "--prefix", "pizza", *flags)
    assert code == 2 and out == ""
    assert err.startswith(PREFIX) and err.count("\n") == 1 and message in err, err


def test_an_rnn_refuses_clamps_but_takes_knockouts(
    projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = projects / "rnn.lstmproj"
    code, _, err = run(capsys, "predict", path, "--prefix", "pizza", "--clamp", "forget=1")
    assert code == 2 and "the RNN has no gates to clamp" in err
    every = _probs(_predict(capsys, path, "--knockout", "all"))
    assert (every == every[0]).all()


def test_new_with_a_clamp_trains_that_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "1997.lstmproj"
    code, out, err = run(capsys, "new", path, "--preset", "dinner", "--clamp", "forget=1")
    assert code == 0, err
    assert "forget gate held at 1" in out
    info = run_json(capsys, "info", path)
    assert info["model"]["clamp"] == {"forget": 1.0}
    assert "forget gate held at 1" in run(capsys, "info", path)[1]
    assert run(capsys, "train", path, "--epochs", "2")[0] == 0
    result = run_json(capsys, "predict", path, "--prefix", "pizza sushi", "--gates")
    assert all(set(s["gates"]["forget"]) == {1.0} for s in result["sequences"][0]["steps"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--model", "gru", "--clamp", "forget=1"], "clamp: the GRU has no forget gate"),
        (["--model", "rnn", "--clamp", "update=1"], "the RNN has no gates to clamp"),
        (["--clamp", "forget@0=1"], "a trained clamp holds the gate for every unit"),
        (["--clamp", "forget=2"], "the value must be a number from 0 to 1"),
    ],
)
def test_new_refuses_a_bad_clamp_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    before = files(tmp_path)
    code, _, err = run(capsys, "new", tmp_path / "x.lstmproj", "--preset", "dinner", *flags)
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert files(tmp_path) == before
