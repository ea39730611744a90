"""``new --bias-init`` and what ``info`` says about it (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.project import load_project
from tests.cli.test_cli import run, run_json


@pytest.mark.parametrize(
    ("scheme", "words"),
    [
        ("zero", "Initial biases: zero + 1 on the forget gate"),
        ("torch", "Initial biases: PyTorch's default (random, ±1/√H)\n"),
        (
            "torch+forget",
            "Initial biases: PyTorch's default (random, ±1/√H) + 1 on the forget gate",
        ),
    ],
)
def test_new_takes_the_scheme_and_info_says_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scheme: str, words: str
) -> None:
    path = tmp_path / "p.lstmproj"
    assert run(capsys, "new", path, "--preset", "dinner", "--bias-init", scheme)[0] == 0
    assert load_project(path).model.bias_init == scheme
    assert run_json(capsys, "info", path)["model"]["bias_init"] == scheme
    code, out, _ = run(capsys, "info", path)
    assert code == 0 and words in out


def test_a_gru_has_no_forget_gate_to_mention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.lstmproj"
    flags = ["--model", "gru", "--bias-init", "torch+forget"]
    assert run(capsys, "new", path, "--preset", "dinner", *flags)[0] == 0
    assert "Initial biases: PyTorch's default (random, ±1/√H)\n" in run(capsys, "info", path)[1]


def test_an_unknown_scheme_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.lstmproj"
    code, out, err = run(capsys, "new", path, "--preset", "dinner", "--bias-init", "xavier")
    assert code == 2 and out == "" and not path.exists()
    assert "--bias-init: invalid choice: 'xavier'" in err
