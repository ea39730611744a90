"""`train` refuses, in one line, a project whose training batch would not fit in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.__main__ import main
from app.engine import memory
from app.project import save_project
from tests.project.helpers import make_project

PREFIX = "lstm-playground: error: "


def test_train_exits_2_with_one_line_and_leaves_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.lstmproj"
    save_project(make_project(1, batch_size=3), path)
    before = path.read_bytes()
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", 1_000)
    assert main(["info", str(path)]) == 0  # it loads
    capsys.readouterr()
    code = main(["train", str(path), "--epochs", "1"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(f"{PREFIX}{path}: One training batch needs about ")
    assert "3 sequences × 4 symbols (the longest line) × 3 distinct symbols" in err
    assert err.endswith("lower the batch size, split long lines or use fewer distinct symbols\n")
    assert err.count("\n") == 1
    assert path.read_bytes() == before
