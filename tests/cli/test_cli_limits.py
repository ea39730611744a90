"""The CLI at the edges of what input can hold: huge symbols, full counters, bad strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import cli
from app.__main__ import main
from app.cli import common
from app.cli.common import MAX_LINE, CliError
from app.engine.config import MAX_COUNT, MAX_EPOCH
from app.project import save_project
from tests.project.helpers import edit_json, make_project

PREFIX = "lstm-playground: error: "


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_from_a_text_with_a_huge_symbol_says_which_line_briefly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "t.txt"
    text.write_text("pizza sushi\nsushi pizza\n" + "é" * 5_000_000 + "\n", encoding="utf-8")
    code, _, err = run(capsys, "new", tmp_path / "p.lstmproj", "--text-file", text)
    assert code == 2
    assert err.startswith(f"{PREFIX}text file {text}: line 3: only one symbol, 'ééé")
    assert "(5,000,000 characters)" in err and len(err) < 500
    assert not (tmp_path / "p.lstmproj").exists()


def test_no_error_line_is_longer_than_the_net(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(args: object) -> int:
        raise CliError("bad input: " + "z" * 3_000_000)

    monkeypatch.setitem(cli.HANDLERS, "presets", boom)
    code, _, err = run(capsys, "presets")
    assert code == 2 and err.startswith(PREFIX + "bad input: zzz")
    assert all(len(line) <= MAX_LINE + len(PREFIX) for line in err.splitlines())


@pytest.mark.parametrize(
    ("counters", "match"),
    [
        (
            {"epoch": MAX_EPOCH},
            "has trained 2,147,483,647 epochs, the most a project file can hold",
        ),
        (
            {"total_updates": MAX_COUNT, "optimizer_steps": MAX_COUNT},
            "9,007,199,254,740,991 updates",
        ),
    ],
)
def test_train_refuses_up_front_when_the_counters_are_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], counters: dict[str, int], match: str
) -> None:
    project = make_project(1)
    assert project.trainer_state is not None
    for name, value in counters.items():
        setattr(project.trainer_state, name, value)
    path = tmp_path / "full.lstmproj"
    save_project(project, path)
    before = (path.stat().st_mtime_ns, path.read_bytes())
    code, _, err = run(capsys, "train", path, "--epochs", 1)
    assert code == 2
    assert err.startswith(f"{PREFIX}{path}: This project ") and match in err
    assert "(Reset starts again)" in err
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


@pytest.mark.parametrize("command", ["info", "train"])
def test_a_lone_surrogate_is_a_load_error_for_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = tmp_path / "s.lstmproj"
    save_project(make_project(), path)
    edit_json(path, lambda doc: doc.update(title="\ud800"))
    before = path.read_bytes()
    code, _, err = run(capsys, command, path)
    assert code == 2
    assert err == (
        f"{PREFIX}{path}: field title holds an unpaired surrogate (\\ud800), which is not a "
        "character\n"
    )
    assert path.read_bytes() == before


def test_a_text_file_past_the_limit_is_refused_without_reading_it_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "MAX_TEXT_BYTES", 24)
    exact, over = tmp_path / "exact.txt", tmp_path / "over.txt"
    exact.write_bytes(b"pizza sushi\nsushi pizza\n")  # 24 bytes: just fits
    over.write_bytes(b"pizza sushi\nsushi pizza\n\n")
    assert run(capsys, "new", tmp_path / "a.lstmproj", "--text-file", exact)[0] == 0
    code, _, err = run(capsys, "new", tmp_path / "b.lstmproj", "--text-file", over)
    assert code == 2
    assert err == f"{PREFIX}text file {over} is over 24 bytes; a text may have at most " + (
        "50,000,000 characters\n"
    )
    assert not (tmp_path / "b.lstmproj").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_text_source_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "MAX_TEXT_BYTES", 2**20)  # the real bound is 200 MB
    code, _, err = run(capsys, "new", tmp_path / "z.lstmproj", "--text-file", "/dev/zero")
    assert code == 2 and "/dev/zero is over 1,048,576 bytes" in err
