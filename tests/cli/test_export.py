"""``export PROJECT DIR --to pytorch``: the files, the refusals, and (with torch) the
exported scripts predicting and training exactly as the playground does."""

from __future__ import annotations

import ast
import contextlib
import errno
import glob
import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from app.__main__ import main
from app.cli.export import SCRIPTS, export_pytorch, template_folder
from app.cli.export_layout import from_torch, to_torch
from app.data.tokenize import PUNCTUATION, TokenizerSpec, tokenize_line
from app.engine.trainer import seed_generators
from app.project import Project, load_project, save_project
from tests.cli.test_cli import files, run
from tests.engine.conftest import KINDS, make_network, random_params
from tests.test_docs import ROOT, _bundle_policy

PREFIX = "lstm-playground: error: "
FILES = {"README.md", "config.json", "data.json", "model.py", "optimizer.npz", "predict.py",
         "progress.json", "text.txt", "train.py", "vocab.json", "weights.npz"}  # fmt: skip


def make_project(folder: Path, *flags: str, epochs: int = 3, name: str = "p") -> Path:
    """A new project, trained ``epochs`` epochs (what the commands print is dropped)."""
    path = folder / f"{name}.lstmproj"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["new", str(path), *flags]) == 0
        if epochs:
            assert main(["train", str(path), "--epochs", str(epochs)]) == 0
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """doug-jane-spot with a validation split, trained 3 epochs (shared: do not change)."""
    folder = tmp_path_factory.mktemp("export")
    return make_project(folder, "--preset", "doug-jane-spot", "--validation-split", "0.25")


def npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as arrays:
        return {k: arrays[k] for k in arrays.files}


# -- the files -------------------------------------------------------------------------
def test_export_writes_every_file_and_they_describe_the_project(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "torch"
    code, stdout, err = run(capsys, "export", trained, out, "--to", "pytorch")
    assert code == 0 and err == "", err
    assert str(out) in stdout
    assert {p.name for p in out.iterdir()} == FILES
    assert [p.name for p in tmp_path.iterdir()] == ["torch"]  # no staging folder left
    project = load_project(trained)
    assert project.trainer_state is not None
    config = json.loads((out / "config.json").read_text())
    assert config["model"] == {
        "kind": "lstm", "vocab_size": project.model.vocab_size, "num_layers": 1,
        "hidden_size": project.model.hidden_size, "nonlinearity": "tanh",
        "input": "one-hot", "dtype": "float64",
    }  # fmt: skip
    assert config["tokenizer"] == project.tokenizer and config["seed"] == project.seed
    assert config["train"]["optimizer"] == project.train.optimizer
    assert config["train"]["learning_rate"] == project.train.learning_rate
    assert config["train"]["batch_size"] == project.train.batch_size
    data = project.data()
    assert json.loads((out / "vocab.json").read_text()) == list(data.vocabulary.symbols)
    exported = json.loads((out / "data.json").read_text())
    train_idx, val_idx = project.split(data)
    assert val_idx, "the preset should hold some sequences out"
    assert exported["train"]["sequences"] == [list(data.tokens[i]) for i in train_idx]
    assert exported["validation"]["sequences"] == [list(data.tokens[i]) for i in val_idx]
    assert exported["validation"]["lines"] == [data.line_numbers[i] for i in val_idx]
    assert (out / "text.txt").read_text() == project.text
    # the weights come back exactly through the inverse mapping
    _, params = project.weights()
    back = from_torch("lstm", npz(out / "weights.npz"))
    assert set(back) == set(params)
    for name, a in back.items():
        np.testing.assert_array_equal(a, params[name])
    progress = json.loads((out / "progress.json").read_text())
    state = project.trainer_state
    assert progress["epoch"] == state.epoch == 3
    assert progress["optimizer_steps"] == state.optimizer_steps
    assert progress["generator"] == state.rng_state
    moments = npz(out / "optimizer.npz")
    assert {k.split("/")[0] for k in moments} == {"exp_avg", "exp_avg_sq"}
    assert moments["exp_avg/readout.weight"].shape == params["Wy"].T.shape
    readme = (out / "README.md").read_text()
    assert "p.lstmproj" in readme and "DistributedDataParallel" in readme
    assert "<!-- summary -->" not in readme
    for script in SCRIPTS:
        assert (out / script).read_bytes() == (template_folder() / script).read_bytes()


def test_an_untrained_project_exports_its_seed_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(tmp_path, "--preset", "dinner", "--model", "gru", epochs=0)
    code, _, err = run(capsys, "export", path, tmp_path / "out", "--to", "pytorch")
    assert code == 0 and "untrained" in err
    progress = json.loads((tmp_path / "out" / "progress.json").read_text())
    project = load_project(path)
    assert progress["generator"] == seed_generators(project.seed)["train"].bit_generator.state
    assert progress["epoch"] == 0 and npz(tmp_path / "out" / "optimizer.npz") == {}


@pytest.mark.parametrize("kind", KINDS)
def test_export_layout_round_trips_and_reorders_the_lstm_gates(kind: str) -> None:
    params = random_params(make_network(kind, vocab=5, hidden=3), seed=4)
    state = to_torch(kind, params)
    back = from_torch(kind, state)
    for name in params:
        np.testing.assert_array_equal(back[name], params[name])
    H = 3
    if kind == "lstm":  # torch [i, f, g, o] rows from our [f | i | o | g] columns
        np.testing.assert_array_equal(state["rnn.weight_ih_l0"][:H], params["Wx"][:, H : 2 * H].T)
        np.testing.assert_array_equal(state["rnn.weight_hh_l0"][H : 2 * H], params["Wh"][:, :H].T)
        np.testing.assert_array_equal(state["rnn.bias_ih_l0"][2 * H : 3 * H], params["b"][3 * H :])
    if kind == "gru":
        np.testing.assert_array_equal(state["rnn.bias_hh_l0"][2 * H :], params["bhn"])
        state["rnn.bias_hh_l0"][:H] = 0.5  # a second reset bias folds into ours
        np.testing.assert_allclose(from_torch(kind, state)["b"][:H], params["b"][:H] + 0.5)
    else:
        assert not state["rnn.bias_hh_l0"].any()


def test_the_scripts_import_nothing_of_the_app() -> None:
    allowed = {"__future__", "argparse", "json", "math", "os", "re", "sys", "time",
               "unicodedata", "pathlib", "typing", "numpy", "torch", "model"}  # fmt: skip
    for script in SCRIPTS:
        tree = ast.parse((template_folder() / script).read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                 for a in n.names}  # fmt: skip
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree)
                  if isinstance(n, ast.ImportFrom)}  # fmt: skip
        assert names <= allowed, (script, names - allowed)


def test_awkward_symbols_survive_the_data_files(tmp_path: Path) -> None:
    text = 'a "quoted" b\\c é ☃\nb\\c a é\n"quoted" ☃ a\n'
    project = Project.from_text(text, tokenizer="sep: ")
    out = export_pytorch(project, tmp_path / "out")
    data = project.data()
    exported = json.loads((out / "data.json").read_text(encoding="utf-8"))
    assert exported["train"]["sequences"] == [list(t) for t in data.tokens]
    assert json.loads((out / "vocab.json").read_text(encoding="utf-8")) == list(
        data.vocabulary.symbols
    )


def test_the_standalone_app_bundles_the_templates() -> None:
    datas = _bundle_policy().app_datas(ROOT)
    bundled = {Path(f) for src, dest in datas if dest == "resources/export/pytorch"
               for f in glob.glob(src)}  # fmt: skip
    assert bundled == {*(template_folder() / s for s in SCRIPTS), template_folder() / "README.md"}


# -- refusals --------------------------------------------------------------------------
def test_bad_input_is_one_line_and_writes_nothing(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "broken.lstmproj").write_bytes(b"not a project")
    before = files(tmp_path)
    cases = [
        (("--to", "tensorflow"), tmp_path / "new", "invalid choice: 'tensorflow'"),
        ((), tmp_path / "new", "--to"),
        (("--to", "pytorch"), tmp_path / "full", "exists and is not empty; add --force"),
        (("--to", "pytorch"), tmp_path / "a-file", "is a file"),
        (("--to", "pytorch"), tmp_path / "missing" / "out", "does not exist"),
        (("--to", "pytorch"), tmp_path / "a-file" / "out", "does not exist"),
    ]
    for flags, out, message in cases:
        code, stdout, err = run(capsys, "export", trained, out, *flags)
        assert code == 2 and stdout == "", (out, err)
        assert err.startswith(PREFIX) and err.count("\n") == 1 and message in err, err
    for project in (tmp_path / "broken.lstmproj", tmp_path / "none.lstmproj"):
        code, _, err = run(capsys, "export", project, tmp_path / "new", "--to", "pytorch")
        assert code == 2 and err.startswith(PREFIX) and err.count("\n") == 1, err
    assert files(tmp_path) == before


def test_nonfinite_weights_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project(tmp_path, "--preset", "dinner", epochs=1)
    project = load_project(path)
    assert project.trainer_state is not None
    project.trainer_state.params["Wh"].flat[3] = np.nan
    save_project(project, path)
    code, _, err = run(capsys, "export", path, tmp_path / "out", "--to", "pytorch")
    assert code == 2 and "NaN" in err and "in Wh" in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_parent_is_refused(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, _, err = run(capsys, "export", trained, locked / "out", "--to", "pytorch")
    finally:
        locked.chmod(0o755)
    assert code == 2 and "cannot write the export" in err and err.count("\n") == 1, err
    assert list(locked.iterdir()) == []


def test_a_failed_write_leaves_nothing_behind(
    trained: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A disk that fills up half-way: no export folder, no staging folder, one line."""
    written: list[str] = []
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        written.append(self.name)
        if len(written) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    code, _, err = run(capsys, "export", trained, tmp_path / "out", "--to", "pytorch")
    assert code == 2 and "No space left on device" in err and err.count("\n") == 1, err
    assert len(written) == 4 and list(tmp_path.iterdir()) == []


def test_force_replaces_a_previous_export_and_keeps_other_files(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (tmp_path / "empty").mkdir()
    assert run(capsys, "export", trained, tmp_path / "empty", "--to", "pytorch")[0] == 0
    assert run(capsys, "export", trained, out, "--to", "pytorch")[0] == 0
    (out / "weights.npz").write_bytes(b"stale")
    (out / "my-notes.md").write_text("keep me")
    code, _, err = run(capsys, "export", trained, out, "--to", "pytorch", "--force")
    assert code == 0, err
    assert (out / "my-notes.md").read_text() == "keep me"
    assert (out / "weights.npz").read_bytes() != b"stale" and npz(out / "weights.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "out"]


def test_force_never_overwrites_a_folder_that_is_not_an_export(
    trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clash, other = tmp_path / "clash", tmp_path / "other"
    for folder in (clash, other):
        folder.mkdir()
        (folder / "notes.txt").write_text("mine")
    (clash / "README.md").write_text("my own readme")
    before = files(clash)
    code, _, err = run(capsys, "export", trained, clash, "--to", "pytorch", "--force")
    assert code == 2 and "not a previous export" in err and "README.md" in err, err
    assert files(clash) == before
    code, _, err = run(capsys, "export", trained, other, "--to", "pytorch", "--force")
    assert code == 0, err  # no name taken: the export goes in beside the user's file
    assert (other / "notes.txt").read_text() == "mine" and (other / "config.json").exists()


# -- with torch: the exported scripts --------------------------------------------------
@pytest.fixture
def torch_export(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """``load(folder)``: the export's predict and train modules, imported from ``folder``."""
    pytest.importorskip("torch")

    def load(folder: Path) -> tuple[ModuleType, ModuleType]:
        for name in ("model", "predict", "train"):
            sys.modules.pop(name, None)
        monkeypatch.syspath_prepend(str(folder))
        return importlib.import_module("predict"), importlib.import_module("train")

    yield load
    for name in ("model", "predict", "train"):
        sys.modules.pop(name, None)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", KINDS)
def test_exported_predictions_equal_ours(
    kind: str, dtype: str, tmp_path: Path, torch_export, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = ("--preset", "dinner", "--model", kind, "--dtype", dtype, "--hidden", "6")
    path = make_project(tmp_path, *flags, epochs=2)
    predict, _ = torch_export(export_pytorch(load_project(path), tmp_path / "out"))
    for extra in ([], ["--temperature", "1.5", "--seed", "7"]):
        args = ["--prefix", "pizza sushi waffles pizza", "--generate", "4", "--json", *extra]
        ours = json.loads(run(capsys, "predict", path, *args)[1])
        assert predict.main(args) == 0
        theirs = json.loads(capsys.readouterr().out)
        assert theirs["vocabulary"] == ours["vocabulary"]
        (a,), (b,) = ours["sequences"], theirs["sequences"]
        assert a.keys() == b.keys() and a["tokens"] == b["tokens"]
        np.testing.assert_allclose(
            [s["probs"] for s in b["steps"]], [s["probs"] for s in a["steps"]], atol=1e-6
        )
        assert [s["input"] for s in b["steps"]] == [s["input"] for s in a["steps"]]
        ga, gb = a["generated"], b["generated"]
        assert gb["tokens"] == ga["tokens"] and gb["seed"] == ga["seed"]
        np.testing.assert_allclose(gb["probs"], ga["probs"], atol=1e-6)
    text = ["--prefix", "pizza sushi", "--generate", "3", "--top", "2"]
    ours_text = run(capsys, "predict", path, *text)[1]
    assert predict.main(text) == 0
    assert capsys.readouterr().out == ours_text
    assert predict.main(["--prefix", "pizza tacos"]) == 2
    assert "unknown symbol(s) 'tacos'" in capsys.readouterr().err


def test_the_prefix_is_split_as_the_project_splits_it(tmp_path: Path, torch_export) -> None:
    project = Project.from_text("a b\nb a\n")
    predict, _ = torch_export(export_pytorch(project, tmp_path / "out"))
    lines = ["  Jane saw Spot.Spot ran!  ", "a,,b , c", "cafe\u0301 : x", " ☃ \t y\r\n"]
    for spec in ("words", "chars", "sep:,", "sep: ", "SEP:;", " Words "):
        for line in lines:
            want = tokenize_line(line, TokenizerSpec.parse(spec))
            assert predict.tokenize(line, spec, PUNCTUATION) == want, (spec, line)


def test_exported_training_goes_on_exactly_like_ours(
    tmp_path: Path, torch_export, capsys: pytest.CaptureFixture[str]
) -> None:
    """From a project stopped mid-epoch: the rest of that epoch, then a fresh one, with the
    project's Adam state, shuffling generator, validation split and clipping."""
    path = make_project(tmp_path, "--preset", "doug-jane-spot", "--validation-split", "0.3",
                        "--batch-size", "1", "--clip", "0.5", epochs=1)  # fmt: skip
    project = load_project(path)
    trainer = project.make_trainer()
    updates = iter(range(2))
    assert list(trainer.run(1, should_stop=lambda: next(updates, None) is None)) == []
    assert trainer.cursor is not None and trainer.cursor.next_batch == 2
    project.capture(trainer)
    save_project(project, path)
    out = export_pytorch(project, tmp_path / "out")
    _, train = torch_export(out)
    data = json.loads((out / "data.json").read_text())
    vocab = json.loads((out / "vocab.json").read_text())
    sequences = train.encode_all(data["train"], vocab)
    config = json.loads((out / "config.json").read_text())
    loss_before, _ = train.evaluate(train.build_model(config, out), sequences, "cpu")

    assert train.main(["--epochs", "2", "--json"]) == 0
    theirs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ours = [r.as_dict() for r in project.make_trainer().run(2)]
    for a, b in zip(ours, theirs, strict=True):
        assert b["epoch"] == a["epoch"] and b["updates"] == a["updates"]
        for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "grad_norm"):
            assert b[key] == pytest.approx(a[key], rel=1e-9), key
    trainer = project.make_trainer()
    list(trainer.run(2))
    saved = from_torch(project.model.kind, npz(out / "weights.npz"))
    for name, want in trainer.params.items():
        np.testing.assert_allclose(saved[name], want, rtol=1e-8, atol=1e-10)
    assert json.loads((out / "progress.json").read_text())["epoch"] == project_epoch(path) + 2
    loss_after, _ = train.evaluate(train.build_model(config, out), sequences, "cpu")
    assert loss_after < loss_before - 0.05


@pytest.mark.parametrize(
    ("optimizer", "kind", "dtype", "window"),
    [("sgd", "gru", "float64", 2), ("rmsprop", "rnn", "float64", 0),
     ("adagrad", "lstm", "float32", 3), ("adam", "gru", "float32", 0)],
)  # fmt: skip
def test_every_optimiser_and_cell_trains_on_like_ours(
    optimizer: str, kind: str, dtype: str, window: int, tmp_path: Path, torch_export,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """One epoch on from a trained project: the optimiser's state carries over (and the
    GRU's frozen half of ``bias_hh``, truncated BPTT and float32 agree too)."""
    flags = ("--preset", "dinner", "--model", kind, "--dtype", dtype, "--optimizer", optimizer)
    path = make_project(tmp_path, *flags, "--hidden", "5", "--batch-size", "2", epochs=1)
    project = load_project(path)
    project.train = replace(project.train, tbptt_window=window)
    _, train = torch_export(export_pytorch(project, tmp_path / "out"))
    assert train.main(["--epochs", "1", "--json"]) == 0
    theirs = json.loads(capsys.readouterr().out)
    trainer = project.make_trainer()
    (ours,) = trainer.run(1)
    rel = 1e-9 if dtype == "float64" else 1e-4
    assert theirs["train_loss"] == pytest.approx(ours.train_loss, rel=rel)
    assert theirs["grad_norm"] == pytest.approx(ours.grad_norm, rel=rel)
    saved = from_torch(kind, npz(tmp_path / "out" / "weights.npz"))
    for name, want in trainer.params.items():
        assert saved[name].dtype == want.dtype
        np.testing.assert_allclose(saved[name], want, rtol=rel, atol=rel * 1e-2)


def project_epoch(path: Path) -> int:
    state = load_project(path).trainer_state
    assert state is not None
    return state.epoch


def test_predict_script_runs_alone(trained: Path, tmp_path: Path) -> None:
    """A real run of the script in a fresh interpreter, as a user would start it: no
    PYTHONPATH, another working folder."""
    pytest.importorskip("torch")
    out = export_pytorch(load_project(trained), tmp_path / "out")
    args = ["--prefix", "Jane saw Spot", "--generate", "3", "--json"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-E", "-s", str(out / "predict.py"), *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    theirs = json.loads(done.stdout)
    with contextlib.redirect_stdout(io.StringIO()) as ours:
        assert main(["predict", str(trained), *args]) == 0
    want = json.loads(ours.getvalue())
    assert (
        theirs["sequences"][0]["generated"]["tokens"] == want["sequences"][0]["generated"]["tokens"]
    )
    np.testing.assert_allclose(
        [s["probs"] for s in theirs["sequences"][0]["steps"]],
        [s["probs"] for s in want["sequences"][0]["steps"]],
        atol=1e-6,
    )


STREAM_TEXT = (
    "Doug saw Jane.\nJane saw Spot.\n\nSpot saw Doug.\n  Doug ran.\n" * 6
    + "Jane ran.\nSpot saw Jane.\n"
)


@pytest.mark.parametrize(("kind", "dtype"), [("lstm", "float64"), ("gru", "float32")])
def test_a_stream_project_trains_on_exactly_like_ours(
    kind: str, dtype: str, tmp_path: Path, torch_export, capsys: pytest.CaptureFixture[str]
) -> None:
    """Stream mode, stopped after two windows of an epoch: torch finishes that epoch from
    the carried state, then trains a fresh one, window by window, with validation."""
    source = tmp_path / "story.txt"
    source.write_text(STREAM_TEXT, encoding="utf-8")
    flags = ("--text-file", str(source), "--tokens", "chars", "--sequences", "stream",
             "--window", "7", "--batch-size", "3", "--model", kind, "--dtype", dtype,
             "--hidden", "5", "--validation-split", "0.2")  # fmt: skip
    path = make_project(tmp_path, *flags, epochs=1)
    project = load_project(path)
    trainer = project.make_trainer()
    updates = iter(range(2))
    assert list(trainer.run(1, should_stop=lambda: next(updates, None) is None)) == []
    assert trainer.cursor is not None and trainer.cursor.state is not None
    project.capture(trainer)
    out = export_pytorch(project, tmp_path / "out")
    data = json.loads((out / "data.json").read_text())
    assert data["sequences"] == "stream" and len(data["train"]["sequences"]) == 1
    assert "\n" in data["train"]["sequences"][0] and len(data["validation"]["sequences"]) == 1
    _, train = torch_export(out)
    assert train.main(["--epochs", "2", "--json"]) == 0
    theirs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    trainer = project.make_trainer()
    ours = [r.as_dict() for r in trainer.run(2)]
    rel = 1e-9 if dtype == "float64" else 1e-4
    for a, b in zip(ours, theirs, strict=True):
        assert b["epoch"] == a["epoch"] and b["updates"] == a["updates"]
        for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "grad_norm"):
            assert b[key] == pytest.approx(a[key], rel=rel), key
    saved = from_torch(kind, npz(out / "weights.npz"))
    for name, want in trainer.params.items():
        np.testing.assert_allclose(saved[name], want, rtol=rel, atol=rel * 1e-2)


def test_a_stream_project_predicts_like_ours(
    tmp_path: Path, torch_export, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prefix with line breaks (typed or as ⏎) and leading spaces is read as the project
    reads a stream, and the predictions agree."""
    source = tmp_path / "story.txt"
    source.write_text(STREAM_TEXT, encoding="utf-8")
    flags = ("--text-file", str(source), "--tokens", "chars", "--sequences", "stream",
             "--hidden", "6", "--batch-size", "4")  # fmt: skip
    path = make_project(tmp_path, *flags, epochs=2)
    predict, _ = torch_export(export_pytorch(load_project(path), tmp_path / "out"))
    for prefix in ("Doug saw Jane.\nJane", "Spot saw⏎  Doug ran.⏎", "Jane "):
        args = ["--prefix", prefix, "--generate", "5", "--json"]
        ours = json.loads(run(capsys, "predict", path, *args)[1])
        assert predict.main(args) == 0
        theirs = json.loads(capsys.readouterr().out)
        (a,), (b,) = ours["sequences"], theirs["sequences"]
        assert b["tokens"] == a["tokens"], prefix
        np.testing.assert_allclose(
            [s["probs"] for s in b["steps"]], [s["probs"] for s in a["steps"]], atol=1e-6
        )
        assert b["generated"]["tokens"] == a["generated"]["tokens"]
