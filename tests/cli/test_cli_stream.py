"""The CLI in stream mode: new --sequences stream --window W, info, train, predict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import main
from app.project import load_project
from tests.cli.test_cli import PREFIX, files, run

POEM = "the cat sat on the mat\nthe dog sat on the log\n\nthe cat ran\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "poem.txt").write_text(POEM)
    (tmp_path / "one.txt").write_text("pizza\n\n")  # lines mode refuses it; a stream does not
    (tmp_path / "tiny.txt").write_text("p")
    (tmp_path / "long.txt").write_text("abcdefghij\n" * 4000)
    return tmp_path


def new_stream(folder: Path, capsys: pytest.CaptureFixture[str], *extra: object) -> Path:
    out = folder / "s.lstmproj"
    code, _, err = run(capsys, "new", out, "--text-file", folder / "poem.txt", "--tokens",
                       "chars", "--sequences", "stream", *extra)  # fmt: skip
    assert code == 0, err
    return out


def test_new_stream_defaults_to_a_window_of_64(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / "x.lstmproj"
    code, out, _ = run(capsys, "new", path, "--text-file", folder / "one.txt", "--sequences",
                       "stream")  # fmt: skip
    assert code == 0 and "one stream of 3 symbols (windows of 64)" in out
    project = load_project(path)
    assert project.sequences == "stream" and project.train.tbptt_window == 64


def test_window_sets_truncation_in_lines_mode_too(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / "x.lstmproj"
    assert main(["new", str(path), "--preset", "dinner", "--window", "3"]) == 0
    project = load_project(path)
    assert (project.sequences, project.train.tbptt_window) == ("lines", 3)


def test_info_train_and_predict_in_stream_mode(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_stream(folder, capsys, "--window", "8", "--batch-size", "4", "--lr", "0.03")
    code, out, _ = run(capsys, "info", path, "--json")
    info = json.loads(out)
    assert (info["mode"], info["window"], info["tokens"]) == ("stream", 8, len(POEM))
    assert "\n" in info["vocabulary"]
    code, out, _ = run(capsys, "info", path)
    assert "one stream of 59 symbols (line breaks are symbols, ⏎), trained in windows of 8" in out
    code, out, err = run(capsys, "train", path, "--epochs", "60", "--json")
    epochs = [e for e in map(json.loads, out.splitlines()) if e["event"] == "epoch"]
    assert code == 0 and epochs[-1]["train_loss"] < 0.5 * epochs[0]["train_loss"], err
    # A prefix is read like the stream: ⏎ or a typed line break is the line-break symbol.
    code, out, _ = run(capsys, "predict", path, "--prefix", "mat⏎the", "--generate", "5", "--json")
    result = json.loads(out)["sequences"][0]
    assert result["tokens"] == ["m", "a", "t", "\n", "t", "h", "e"]
    code, out2, _ = run(capsys, "predict", path, "--prefix", "mat\nthe", "--json")
    assert json.loads(out2)["sequences"][0]["tokens"] == result["tokens"]
    # Human output shows the line break as ⏎ (every symbol is listed with --top 20).
    code, out, _ = run(capsys, "predict", path, "--prefix", "mat⏎the", "--top", "20")
    assert code == 0 and "mat⏎the" not in out and "⏎" in out and "'\\n'" not in out
    code, out, _ = run(capsys, "predict", path, "--prefix", "mat⏎", "--generate", "5")
    assert "  mat⏎ | " in out
    code, out, _ = run(capsys, "evaluate", path, "--text-file", folder / "poem.txt", "--json")
    overall = json.loads(out)["overall"]
    assert (overall["sequences"], overall["predictions"]) == (1, len(POEM) - 1)


BAD = {
    "window -1": ["--sequences", "stream", "--window", "-1"],
    "window 0 with stream": ["--sequences", "stream", "--window", "0"],
    "window absurd": ["--sequences", "stream", "--window", "100001"],
    "window word": ["--window", "many"],
    "unknown sequences": ["--sequences", "poem"],
    "stream under 2 symbols": ["--sequences", "stream", "--text-file-tiny"],
    "window too big for memory": [
        "--sequences",
        "stream",
        "--window",
        "100000",
        "--hidden",
        "1024",
        "--batch-size",
        "32",
        "--text-file-long",
    ],
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    case: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = BAD[case]
    source = "poem.txt"
    for name in ("tiny", "long"):
        if f"--text-file-{name}" in flags:
            flags = [f for f in flags if f != f"--text-file-{name}"]
            source = f"{name}.txt"
    before = files(folder)
    code, out, err = run(capsys, "new", folder / "x.lstmproj", "--text-file", folder / source,
                         "--tokens", "chars", *flags)  # fmt: skip
    assert code == 2, err
    assert err.startswith(PREFIX) and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""
    assert files(folder) == before
    expected = {
        "window 0 with stream": "stream mode needs --window of at least 1",
        "unknown sequences": "invalid choice: 'poem'",
        "stream under 2 symbols": "a stream needs at least two symbols; this text has 1",
        "window too big for memory": "one training window needs about",
        "window absurd": "must be between 0 and 100000",
    }.get(case)
    assert expected is None or expected.lower() in err.lower(), err
