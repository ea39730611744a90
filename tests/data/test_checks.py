"""check_text: the problems the editor flags, and agreement with SequenceData."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.data import checks
from app.data.checks import Problem, check_text
from app.data.dataset import SequenceData
from app.data.errors import DataError
from app.data.tokenize import CHARS, WORDS, TokenizerSpec

CLEAN = "pizza sushi waffles\nsushi waffles pizza\nwaffles pizza sushi"


def test_clean_text_has_no_problems() -> None:
    assert check_text(CLEAN, WORDS) == []


def test_problem_str() -> None:
    assert str(Problem(4, "oops")) == "line 4: oops"
    assert str(Problem(None, "oops", "warning")) == "oops"
    assert Problem(1, "x").is_error and not Problem(1, "x", "warning").is_error


def test_empty_text() -> None:
    (problem,) = check_text("  \n", WORDS)
    assert problem.line is None and problem.is_error
    assert "separated by spaces" in problem.message


def test_one_symbol_line_is_an_error_on_its_line() -> None:
    problems = check_text(CLEAN + "\n\npizza", WORDS)
    assert problems == [
        Problem(5, "only one symbol, 'pizza': a line needs at least two, "
                   "so there is something to predict")
    ]  # fmt: skip


def test_one_symbol_line_hints_at_a_missing_separator() -> None:
    (problem,) = [
        p for p in check_text("a,b\npizza sushi", TokenizerSpec("sep", ",")) if p.is_error
    ]
    assert problem.line == 2
    assert "no ',' separator on this line" in problem.message


def test_line_of_separators_only_is_a_warning() -> None:
    (problem,) = check_text("a,b\n, ,\na,b", TokenizerSpec("sep", ","))
    assert (problem.line, problem.severity) == (2, "warning")


def test_a_typo_is_flagged_where_it_appears() -> None:
    problems = check_text(CLEAN + "\npizza piza sushi", WORDS)
    assert problems == [
        Problem(4, "'piza' appears only once in the whole text (a typo?)", "warning")
    ]


def test_no_typo_warnings_for_characters() -> None:
    assert check_text("abcabc\nabcabcQ", CHARS) == []


def test_many_one_off_words_give_one_summary() -> None:
    text = "\n".join(f"common w{i} common" for i in range(20))
    (problem,) = check_text(text, WORDS)
    assert problem.line is None and problem.severity == "warning"
    assert problem.message.startswith("20 symbols appear only once (e.g. 'w0'")


def test_a_single_distinct_symbol_is_a_warning() -> None:
    (problem,) = check_text("a a a\na a", WORDS)
    assert (problem.line, problem.severity) == (None, "warning")
    assert "nothing to learn" in problem.message


def test_whole_text_problems_come_first_then_lines_in_order() -> None:
    text = "\n".join(["x", "a b", "y", *[f"a b u{i}" for i in range(12)]])
    problems = check_text(text, WORDS)
    assert problems[0].line is None
    lines = [p.line for p in problems[1:]]
    assert lines == sorted(lines) == [1, 3]  # type: ignore[type-var]


def test_report_is_capped_errors_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_REPORTED", 3)
    text = "a b piza\n" + "\n".join("x" for _ in range(5))
    problems = check_text(text, WORDS)
    assert len(problems) == 4
    assert all(p.is_error for p in problems[:3])
    assert problems[-1] == Problem(None, "… and 3 more problem(s) not listed", "error")
    # Only warnings left out: the summary is a warning too.
    text = "x\n" + "\n".join(f"a b u{i}" for i in range(5))
    problems = check_text(text, WORDS)
    # The one-symbol line 1 is not flagged a second time for its one-off 'x'.
    assert [(p.line, p.severity) for p in problems[:3]] == [
        (1, "error"),
        (2, "warning"),
        (3, "warning"),
    ]
    assert problems[-1] == Problem(None, "… and 3 more problem(s) not listed", "warning")


_words = st.sampled_from(["pizza", "sushi", "waffles", "a", ".", " ", ""])
_texts = st.lists(st.lists(_words, max_size=4).map(" ".join), max_size=6).map("\n".join)


@given(_texts, st.sampled_from([WORDS, CHARS, TokenizerSpec("sep", "a")]))
def test_from_text_fails_exactly_when_check_text_reports_an_error(
    text: str, spec: TokenizerSpec
) -> None:
    errors = [p for p in check_text(text, spec) if p.is_error]
    if errors:
        with pytest.raises(DataError) as info:
            SequenceData.from_text(text, spec)
        assert str(info.value).startswith(str(errors[0]))
    else:
        data = SequenceData.from_text(text, spec)
        assert all(len(t) >= 2 for t in data.tokens)
