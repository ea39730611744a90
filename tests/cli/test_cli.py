"""The headless CLI, driven in-process through ``app.__main__.main`` (plus two real runs)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from app import __version__, cli
from app.__main__ import main
from app.cli import train as cli_train
from app.data.presets import load_preset, preset_names
from app.engine.network import LossStats, Network
from app.project import load_project

ROOT = Path(__file__).resolve().parents[2]  # the repository: `-m app` there runs this tree
PREFIX = "lstm-playground: error: "


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: object) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its mtime and bytes: proof that nothing changed."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dinner preset trained for its recommended epochs (shared: copy before changing)."""
    path = tmp_path_factory.mktemp("trained") / "dinner.lstmproj"
    assert main(["new", str(path), "--preset", "dinner"]) == 0
    assert main(["train", str(path)]) == 0
    return path


@pytest.fixture
def work(tmp_path: Path, trained: Path) -> Path:
    """A folder holding a copy of the trained project, an untrained one and some texts."""
    shutil.copy(trained, tmp_path / "dinner.lstmproj")
    assert main(["new", str(tmp_path / "fresh.lstmproj"), "--preset", "dinner"]) == 0
    (tmp_path / "good.txt").write_text("pizza sushi waffles pizza\nsushi waffles\n")
    (tmp_path / "one.txt").write_text("pizza sushi\nwaffles\n")
    (tmp_path / "unknown.txt").write_text("pizza sushi\npizza tacos\n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 ol\xe9\n".encode("latin-1"))
    (tmp_path / "broken.lstmproj").write_bytes(b"\x00\x01 not a project")
    (tmp_path / "folder.lstmproj").mkdir()
    return tmp_path


# -- new, presets, info ----------------------------------------------------------------
@pytest.mark.parametrize("name", preset_names())
def test_new_from_every_preset_uses_its_settings(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{name}.lstmproj"
    code, out, err = run(capsys, "new", path, "--preset", name)
    assert code == 0 and err == "", err  # presets are clean: not even a warning
    assert "untrained" in out
    info = run_json(capsys, "info", path)
    s = load_preset(name).settings
    assert (info["preset"], info["tokenizer"]) == (name, load_preset(name).tokenizer.to_string())
    assert (info["model"]["kind"], info["model"]["hidden_size"]) == (s.model, s.hidden_size)
    t = info["training"]
    assert (t["optimizer"], t["learning_rate"], t["batch_size"]) == (
        s.optimizer,
        s.learning_rate,
        s.batch_size,
    )
    assert info["epochs_trained"] == 0 and info["last"] is None
    assert load_project(path).trainer_state is None


def test_new_flags_override_the_preset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.lstmproj"
    flags = ["--model", "gru", "--hidden", "5", "--optimizer", "sgd", "--lr", "0.1"]
    flags += ["--batch-size", "2", "--clip", "0", "--validation-split", "0.25"]
    flags += ["--dtype", "float32", "--seed", "7", "--tokens", "chars", "--bias-init", "torch"]
    assert run(capsys, "new", path, "--preset", "dinner", *flags)[0] == 0
    info = run_json(capsys, "info", path)
    assert info["model"] | {"vocab_size": 0} == {
        "kind": "gru",
        "hidden_size": 5,
        "dtype": "float32",
        "forget_bias": 1.0,
        "bias_init": "torch",
        "vocab_size": 0,
        "clamp": {},
    }
    assert info["training"]["optimizer"] == "sgd" and info["training"]["learning_rate"] == 0.1
    assert info["training"]["batch_size"] == 2 and info["training"]["clip_norm"] == 0
    assert info["training"]["validation_split"] == 0.25
    assert (info["seed"], info["tokenizer"]) == (7, "chars")
    assert "z" in info["vocabulary"]  # "pizza", one character at a time


def test_new_from_text_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("C4, D4, E4\nE4, D4, C4\n")
    path = tmp_path / "notes.lstmproj"
    assert (
        run(capsys, "new", path, "--text-file", tmp_path / "notes.txt", "--tokens", "sep:,")[0] == 0
    )
    info = run_json(capsys, "info", path)
    assert (info["title"], info["preset"]) == ("notes", None)
    assert info["vocabulary"] == ["C4", "D4", "E4"] and info["sequences"] == 2


def test_new_buckets_lines_unless_told_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for flags, expected in [((), True), (("--no-bucketing",), False), (("--bucketing",), True)]:
        path = tmp_path / f"{expected}{len(flags)}.lstmproj"
        assert run(capsys, "new", path, "--preset", "dinner", *flags)[0] == 0
        assert run_json(capsys, "info", path)["training"]["bucketing"] is expected


def test_new_warns_about_likely_typos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "typo.txt").write_text("pizza sushi waffles\npiza sushi waffles\n")
    path = tmp_path / "typo.lstmproj"
    code, _, err = run(capsys, "new", path, "--text-file", tmp_path / "typo.txt")
    assert code == 0 and path.exists()
    assert "warning" in err and "'piza' appears only once" in err and "line 2" in err


def test_new_refuses_to_overwrite_unless_forced(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(work)
    code, _, err = run(capsys, "new", work / "dinner.lstmproj", "--preset", "long-memory")
    assert code == 2 and "--force" in err and files(work) == before
    code, _, _ = run(capsys, "new", work / "dinner.lstmproj", "--preset", "long-memory", "--force")
    assert code == 0 and load_project(work / "dinner.lstmproj").preset == "long-memory"


def test_presets_lists_every_preset(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "presets")
    assert code == 0 and all(name in out for name in preset_names())
    listed = run_json(capsys, "presets")
    assert [p["name"] for p in listed] == preset_names()
    assert all(p["title"] and p["description"] for p in listed)


def test_info_of_a_trained_project(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", work / "dinner.lstmproj")
    assert code == 0
    for words in ("Epochs trained: 100", "LSTM, hidden size 8", "Best epoch", "Snapshots"):
        assert words in out
    info = run_json(capsys, "info", work / "dinner.lstmproj")
    assert info["epochs_trained"] == 100 and info["last"]["train_accuracy"] == 1.0
    assert info["best_epoch"] in info["snapshots"]


# -- train --------------------------------------------------------------------------------
def test_train_continues_and_info_counts_epochs(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "fresh.lstmproj"
    code, out, err = run(capsys, "train", path, "--epochs", "3")
    assert code == 0 and "Trained 3 epoch(s)" in out and "epoch 3 (3/3)" in err
    assert run(capsys, "train", path, "--epochs", "2", "--lr", "0.02")[0] == 0
    info = run_json(capsys, "info", path)
    assert info["epochs_trained"] == 5 and info["training"]["learning_rate"] == 0.02


def test_train_json_lines(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "train", work / "fresh.lstmproj", "--epochs", "4", "--json")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["event"] for e in events] == ["epoch"] * 4 + ["summary"]
    assert [e["epoch"] for e in events[:4]] == [1, 2, 3, 4]
    assert all(0 <= e["train_accuracy"] <= 1 and e["train_loss"] > 0 for e in events[:4])
    assert events[-1] | {"last": None} == events[-1] | {
        "status": "finished",
        "epochs_run": 4,
        "epochs_trained": 4,
        "last": None,
    }


def test_train_json_into_a_closed_pipe_stops_and_saves(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def print_json(value: object) -> None:  # `train --json | head -3`
        if value["epoch"] > 3:  # type: ignore[index]
            raise BrokenPipeError

    monkeypatch.setattr(cli_train, "print_json", print_json)
    code, _, err = run(capsys, "train", work / "fresh.lstmproj", "--epochs", "50", "--json")
    assert code == 1 and "output closed" in err
    state = load_project(work / "fresh.lstmproj").trainer_state
    assert state is not None and state.epoch == 4


def test_train_defaults_to_100_epochs_without_a_preset(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "own.lstmproj"
    assert run(capsys, "new", path, "--text-file", work / "good.txt")[0] == 0
    code, out, _ = run(capsys, "train", path, "--json")
    assert code == 0 and json.loads(out.splitlines()[-1])["epochs_run"] == 100


def test_nan_stops_training_and_saves_the_last_good_weights(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real, calls = Network.loss_and_grads, []

    def diverging(self: Network, *args: object, **kwargs: object) -> LossStats:
        stats = real(self, *args, **kwargs)  # type: ignore[arg-type]
        calls.append(1)
        return stats if len(calls) <= 5 else LossStats(float("nan"), 0, stats.n_tokens)

    monkeypatch.setattr(Network, "loss_and_grads", diverging)
    path = work / "fresh.lstmproj"
    code, _, err = run(capsys, "train", path, "--epochs", "10")
    assert code == 1
    assert "training stopped: The loss became NaN" in err and "Traceback" not in err
    state = load_project(path).trainer_state
    assert state is not None and state.epoch == 2  # two updates per epoch: 5 good updates
    assert all(np.isfinite(w).all() for w in state.params.values())


def test_ctrl_c_stops_training_and_saves(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """First Ctrl-C: stop and save (130); a second one while saving is ignored."""
    real_update, real_save = cli_train.Progress.update, cli_train.save_project

    def update(self: cli_train.Progress, report: object, done: int) -> None:
        real_update(self, report, done)  # type: ignore[arg-type]
        if done == 3:
            os.kill(os.getpid(), signal.SIGINT)

    def save(project: object, path: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # the impatient second press: must be ignored
        real_save(project, path)

    monkeypatch.setattr(cli_train.Progress, "update", update)
    monkeypatch.setattr(cli_train, "save_project", save)
    handler = signal.getsignal(signal.SIGINT)
    code, _, err = run(capsys, "train", work / "fresh.lstmproj", "--epochs", "50")
    assert code == 130 and "interrupted after epoch 3" in err
    state = load_project(work / "fresh.lstmproj").trainer_state
    assert state is not None and state.epoch == 3
    assert signal.getsignal(signal.SIGINT) is handler


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "d.lstmproj"
    assert main(["new", str(path), "--preset", "dinner"]) == 0
    command = [sys.executable, "-m", "app", "train", str(path), "--epochs", "1000000"]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stderr is not None
        first = proc.stderr.readline()  # the first progress line: training is under way
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert first.startswith("epoch 1 (1/1000000)"), first + err
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err and "Saved" in out
    state = load_project(path).trainer_state
    assert state is not None and state.epoch > 0


# -- predict, evaluate --------------------------------------------------------------------
def test_predict_json_schema_and_the_dinner_cycle(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_json(capsys, "predict", work / "dinner.lstmproj", "--prefix", "pizza sushi")
    assert set(result) == {"vocabulary", "sequences"}
    vocab = result["vocabulary"]
    assert vocab == ["pizza", "sushi", "waffles"]
    (seq,) = result["sequences"]
    assert set(seq) == {"tokens", "steps"} and seq["tokens"] == ["pizza", "sushi"]
    assert [set(step) for step in seq["steps"]] == [{"input", "probs"}] * 2
    assert [step["input"] for step in seq["steps"]] == seq["tokens"]
    for step in seq["steps"]:
        assert len(step["probs"]) == len(vocab) and sum(step["probs"]) == pytest.approx(1)
    best = [vocab[int(np.argmax(step["probs"]))] for step in seq["steps"]]
    assert best == ["sushi", "waffles"]


def test_predict_text_file_gives_one_sequence_per_line(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_json(capsys, "predict", work / "dinner.lstmproj", "--text-file", work / "good.txt")
    assert [s["tokens"] for s in result["sequences"]] == [
        ["pizza", "sushi", "waffles", "pizza"],
        ["sushi", "waffles"],
    ]


def test_predict_human_output(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "predict", work / "dinner.lstmproj", "--prefix", "pizza", "--top", "2"
    )
    assert code == 0 and err == ""
    step = next(line for line in out.splitlines() if "->" in line)
    assert step.split()[:3] == ["pizza", "->", "sushi"] and step.count("%") == 2
    code, _, err = run(capsys, "predict", work / "fresh.lstmproj", "--prefix", "pizza")
    assert code == 0 and "untrained" in err


def test_generation_is_reproducible(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def generated(*extra: str) -> list[str]:
        args = ["predict", work / "dinner.lstmproj", "--prefix", "pizza", "--generate", "9"]
        return run_json(capsys, *args, *extra)["sequences"][0]["generated"]["tokens"]

    greedy = generated()
    assert greedy == ["sushi", "waffles", "pizza"] * 3 and generated() == greedy
    assert generated("--temperature", "2", "--seed", "5") == generated(
        "--temperature", "2", "--seed", "5"
    )
    code, out, _ = run(
        capsys, "predict", work / "dinner.lstmproj", "--prefix", "pizza", "--generate", "3"
    )
    assert code == 0 and "pizza | sushi waffles pizza" in out


def test_evaluate(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(
        capsys, "evaluate", work / "dinner.lstmproj", "--text-file", work / "good.txt"
    )
    assert [r["line"] for r in result["sequences"]] == [1, 2]
    assert [r["predictions"] for r in result["sequences"]] == [3, 1]
    assert result["overall"]["accuracy"] == 1.0 and 0 < result["overall"]["loss"] < 0.1
    code, out, _ = run(
        capsys, "evaluate", work / "dinner.lstmproj", "--text-file", work / "good.txt"
    )
    assert code == 0 and "overall: 2 sequences, 4 predictions" in out


# -- bad input: exit 2, one line, nothing written -------------------------------------------
BAD = {
    "missing project": ["info", "{w}/nope.lstmproj"],
    "broken project": ["info", "{w}/broken.lstmproj"],
    "folder as project": ["train", "{w}/folder.lstmproj"],
    "text file as project": ["predict", "{w}/good.txt", "--prefix", "pizza"],
    "unknown preset": ["new", "{w}/x.lstmproj", "--preset", "tacos"],
    "missing text file": ["new", "{w}/x.lstmproj", "--text-file", "{w}/nope.txt"],
    "one-symbol line": ["new", "{w}/x.lstmproj", "--text-file", "{w}/one.txt"],
    "not UTF-8": ["new", "{w}/x.lstmproj", "--text-file", "{w}/latin1.txt"],
    "bad tokenizer": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--tokens", "bytes"],
    "missing folder": ["new", "{w}/no/such/x.lstmproj", "--preset", "dinner"],
    "exists": ["new", "{w}/dinner.lstmproj", "--preset", "dinner"],
    "hidden 0": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--hidden", "0"],
    "hidden word": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--hidden", "many"],
    "new lr nan": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--lr", "nan"],
    "batch 0": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--batch-size", "0"],
    "split 1": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--validation-split", "1"],
    "clip -1": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--clip", "-1"],
    "seed -1": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--seed", "-1"],
    "two sources": ["new", "{w}/x.lstmproj", "--preset", "dinner", "--text-file", "{w}/good.txt"],
    "lr nan": ["train", "{w}/dinner.lstmproj", "--lr", "nan"],
    "lr -1": ["train", "{w}/dinner.lstmproj", "--lr", "-1"],
    "lr 1e9": ["train", "{w}/dinner.lstmproj", "--lr", "1e9"],
    "lr inf": ["train", "{w}/dinner.lstmproj", "--lr", "inf"],
    "epochs 0": ["train", "{w}/dinner.lstmproj", "--epochs", "0"],
    "top 0": ["predict", "{w}/dinner.lstmproj", "--prefix", "pizza", "--top", "0"],
    "unknown symbol": ["predict", "{w}/dinner.lstmproj", "--prefix", "pizza tacos"],
    "empty prefix": ["predict", "{w}/dinner.lstmproj", "--prefix", "  "],
    "temperature -1": [
        "predict",
        "{w}/dinner.lstmproj",
        "--prefix",
        "pizza",
        "--temperature",
        "-1",
    ],
    "generate -1": ["predict", "{w}/dinner.lstmproj", "--prefix", "pizza", "--generate", "-1"],
    "no prefix": ["predict", "{w}/dinner.lstmproj"],
    "unknown in file": ["predict", "{w}/dinner.lstmproj", "--text-file", "{w}/unknown.txt"],
    "evaluate one symbol": ["evaluate", "{w}/dinner.lstmproj", "--text-file", "{w}/one.txt"],
    "evaluate unknown": ["evaluate", "{w}/dinner.lstmproj", "--text-file", "{w}/unknown.txt"],
    "unknown command": ["trian", "{w}/dinner.lstmproj"],
    "unknown flag": ["info", "{w}/dinner.lstmproj", "--verbose"],
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    case: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(work)
    code, out, err = run(capsys, *(a.format(w=work) for a in BAD[case]))
    assert code == 2, err
    assert err.startswith(PREFIX) and err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err
    assert out == ""
    assert files(work) == before


def test_error_messages_say_what_is_wrong(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def error(*args: object) -> str:
        code, _, err = run(capsys, *args)
        assert code == 2
        return err

    assert "'tacos'" in error("predict", work / "dinner.lstmproj", "--prefix", "pizza tacos")
    assert "line 2" in error(
        "evaluate", work / "dinner.lstmproj", "--text-file", work / "unknown.txt"
    )
    assert "broken.lstmproj" in error("info", work / "broken.lstmproj")
    assert "learning rate" in error("train", work / "dinner.lstmproj", "--lr", "1e9")
    assert "does not exist" in error("new", work / "no" / "x.lstmproj", "--preset", "dinner")


def test_an_internal_error_is_one_line_and_asks_for_a_report(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("oops\nsecond line")

    monkeypatch.setitem(cli.HANDLERS, "info", broken)
    code, _, err = run(capsys, "info", work / "dinner.lstmproj")
    assert code == 1 and err.count("\n") == 1 and "please report" in err


# -- entry point --------------------------------------------------------------------------
def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"lstm-playground {__version__}"
    for command in cli.COMMANDS:
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and out.startswith(f"usage: lstm-playground {command}")


def test_without_a_window_the_launch_prints_help(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "app.ui.main", None)  # as if the GUI did not exist
    code, out, _ = run(capsys)
    assert code == 0 and out.startswith("usage: lstm-playground") and "later version" in out


def test_the_window_gets_no_arguments_a_project_or_self_test(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, work: Path
) -> None:
    calls: list[list[str]] = []
    gui = types.ModuleType("app.ui.main")
    gui.run_gui = lambda argv: calls.append(list(argv)) or 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.main", gui)
    project = str(work / "dinner.lstmproj")
    assert [main([]), main([project]), main(["--self-test"])] == [7, 7, 7]
    assert calls == [[], [project], ["--self-test"]]
    assert main(["info", project]) == 0 and main(["presets"]) == 0 and len(calls) == 3
    capsys.readouterr()


def test_the_entry_point_in_a_real_process(tmp_path: Path) -> None:
    """``python -m app``: exit codes, one error line, and Qt is never loaded by the CLI."""
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "app",
        "info",
        str(tmp_path / "x.lstmproj"),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = done.stderr.splitlines()
    imports = [line for line in lines if line.startswith("import time:")]
    messages = [line for line in lines if not line.startswith("import time:")]
    assert done.returncode == 2 and done.stdout == ""
    assert messages == [f"{PREFIX}project file {tmp_path / 'x.lstmproj'} does not exist"]
    assert imports and not any(qt in line for line in imports for qt in ("PySide6", "pyqtgraph"))
