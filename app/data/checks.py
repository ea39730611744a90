"""Checking typed text before training: the problems the editor flags line by line.

:func:`check_text` never raises; it returns every :class:`Problem` so the UI can mark
lines as the learner types.  :meth:`app.data.dataset.SequenceData.from_text` runs the
same checks and raises on the first error, so the two can never disagree.

Limits, and why:

* a line needs at least **2** symbols: one symbol gives nothing to predict;
* at most :data:`MAX_LINE_TOKENS` symbols on a line: a line is one sequence that
  back-propagation runs through end to end, and the trainer keeps every step's gate
  values for the plots, so very long lines eat memory; split long text into lines;
* at most :data:`MAX_SEQUENCES` lines and :data:`MAX_TOTAL_TOKENS` symbols in all, and
  :data:`MAX_TEXT_CHARS` characters before tokenizing: beyond that an epoch of a NumPy
  network takes minutes and the playground stops being interactive;
* at most :data:`~app.engine.config.MAX_VOCAB` distinct symbols (one-hot inputs).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from app.data.tokenize import (
    NEWLINE,
    SequenceMode,
    TokenizerSpec,
    check_mode,
    count_lines,
    count_symbols,
    iter_lines,
    split_lines,
    tokenize_line,
    tokenize_stream_line,
)
from app.engine.config import MAX_VOCAB
from app.engine.text import quoted

MAX_TEXT_CHARS = 50_000_000
MAX_SEQUENCES = 100_000
MAX_TEXT_LINES = 500_000
"""Lines of any kind, blank ones included: five for every sequence allowed."""
MAX_TOTAL_TOKENS = 5_000_000
MAX_LINE_TOKENS = 10_000
MAX_REPORTED = 200
"""At most this many problems are listed; one more summarises the rest."""
_MAX_SINGLETON_LINES = 10  # beyond this, one summary warning instead of one per line

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """Something wrong (``"error"``: training refuses) or odd (``"warning"``) in the text.

    ``line`` is the 1-based line number in the original text, or ``None`` when the
    problem concerns the whole text.  ``message`` does not repeat the line number.
    """

    line: int | None
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyse` found: the usable sequences with their lines, and problems."""

    lines: tuple[int, ...]
    tokens: tuple[tuple[str, ...], ...]
    problems: tuple[Problem, ...]
    omitted_errors: int = 0
    """Line errors past the first :data:`MAX_REPORTED`, counted but not kept."""
    omitted_warnings: int = 0

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def check_text(text: str, spec: TokenizerSpec, mode: SequenceMode = "lines") -> list[Problem]:
    """Every problem with ``text`` under ``spec``; empty if it is ready to train on.

    ``mode`` ``"stream"`` reads the text as one sequence (see :func:`analyse`).

    Problems about the whole text come first, then line problems in line order.  Past
    :data:`MAX_REPORTED` problems, warnings are dropped before errors and a final
    problem says how many were left out.
    """
    analysis = analyse(text, spec, mode)
    problems = analysis.problems
    omitted = analysis.omitted_errors + analysis.omitted_warnings
    if len(problems) + omitted <= MAX_REPORTED:
        return list(problems)
    # Keep errors in preference to warnings, but show what is kept in text order.
    ranked = sorted(range(len(problems)), key=lambda i: (not problems[i].is_error, i))
    kept, dropped = sorted(ranked[:MAX_REPORTED]), ranked[MAX_REPORTED:]
    errors_left = analysis.omitted_errors or any(problems[i].is_error for i in dropped)
    severity: Severity = "error" if errors_left else "warning"
    n_more = len(dropped) + omitted
    summary = Problem(None, f"… and {n_more:,} more problem(s) not listed", severity)
    return [problems[i] for i in kept] + [summary]


def analyse(text: str, spec: TokenizerSpec, mode: SequenceMode = "lines") -> Analysis:
    """Tokenize ``text`` and collect every problem; the shared core of all checks.

    In ``"lines"`` mode each non-blank line is a sequence.  In ``"stream"`` mode
    (:func:`_analyse_stream`) the analysis's ``tokens`` are the text's lines in order,
    blank ones included, each ending with :data:`~app.data.tokenize.NEWLINE` but the
    last: joined, they are the one sequence.
    """
    stream = check_mode(mode) == "stream"
    if len(text) > MAX_TEXT_CHARS:
        message = f"the text has {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}"
        return Analysis((), (), (Problem(None, message),))
    n_lines = count_lines(text)  # in C: millions of lines are refused before one is read
    if n_lines > MAX_TEXT_LINES:
        also = "" if stream else f" (and {MAX_SEQUENCES:,} sequences)"
        message = f"the text has {n_lines:,} lines; the limit is {MAX_TEXT_LINES:,}{also}"
        return Analysis((), (), (Problem(None, message),))
    if stream:
        return _analyse_stream(text, spec, n_lines)

    whole: list[Problem] = []
    per_line = _FirstProblems()
    lines: list[int] = []
    sequences: list[tuple[str, ...]] = []
    counts: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    canonical: dict[str, str] = {}  # one string object per symbol, shared by every use
    total = n_sequences = 0
    full = False  # past a whole-text limit: the text is refused, so stop there
    numbered = iter_lines(text)
    for number, line in numbered:
        if full or len(line) > MAX_LINE_TOKENS:  # maybe huge: count before building a list
            n = count_symbols(line, spec)
            keep = n <= 1 or (not full and n <= MAX_LINE_TOKENS)
            tokens = tokenize_line(line, spec) if keep else None
        else:
            tokens = tokenize_line(line, spec)
            n = len(tokens)
        total += n
        if not 2 <= n <= MAX_LINE_TOKENS and per_line.wants(n):
            problem = _check_line(number, n, tokens, spec)
            assert problem is not None  # a line of n symbols has one
            per_line.add(problem)
        if 2 <= n <= MAX_LINE_TOKENS:
            n_sequences += 1
        if full or tokens is None:
            continue
        tokens = [canonical.setdefault(t, t) for t in tokens]
        counts.update(tokens)
        for t in tokens:
            first_line.setdefault(t, number)
        if 2 <= n <= MAX_LINE_TOKENS:
            lines.append(number)
            sequences.append(tuple(tokens))
        full = total > MAX_TOTAL_TOKENS or len(counts) > MAX_VOCAB or n_sequences > MAX_SEQUENCES
        if full:  # refused whatever follows: millions more lines would only cost time
            break
    # Counted to the end, or stopped early: then the counts are "more than".
    more = "more than " if full and next(numbered, None) is not None else ""

    if not n_sequences and not per_line.errors:
        whole.append(Problem(None, _empty_message(spec)))
    if n_sequences > MAX_SEQUENCES:
        whole.append(
            Problem(None, f"{more}{n_sequences:,} lines; the limit is {MAX_SEQUENCES:,} sequences")
        )
    if total > MAX_TOTAL_TOKENS:
        whole.append(
            Problem(None, f"{more}{total:,} symbols in all; the limit is {MAX_TOTAL_TOKENS:,}")
        )
    if len(counts) > MAX_VOCAB:  # counting stopped there: the text is refused anyway
        whole.append(Problem(None, f"more than {MAX_VOCAB:,} different symbols (the limit)"))
    if full:
        return per_line.analysis((), (), whole)
    if len(counts) == 1 and sequences:
        (only,) = counts
        whole.append(
            Problem(None, f"every symbol is {quoted(only)}: there is nothing to learn", "warning")
        )
    if spec.kind != "chars":
        # A line that already has an error needs no second flag for its rare symbol.
        flagged = {p.line for p in per_line.errors}
        for p in _singleton_warnings(counts, first_line):
            if p.line is None:
                whole.append(p)
            elif p.line not in flagged:
                per_line.add(p)
    return per_line.analysis(tuple(lines), tuple(sequences), whole)


def _analyse_stream(text: str, spec: TokenizerSpec, n_lines: int) -> Analysis:
    """The whole text (of ``n_lines`` lines, within the limits :func:`analyse` checked)
    as one sequence: every line break is a symbol, no line is too short.

    The limits on symbols in all and distinct symbols hold as in lines mode; a line has
    no length limit of its own (training cuts the stream into windows) and needs no
    second symbol.
    """
    whole: list[Problem] = []
    per_line = _FirstProblems()
    lines: list[int] = []
    pieces: list[tuple[str, ...]] = []
    counts: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    canonical: dict[str, str] = {NEWLINE: NEWLINE}
    total = 0
    full = False
    number = 0
    for number, line in enumerate(split_lines(text), start=1):
        if len(line) > MAX_LINE_TOKENS:  # maybe huge: count before building a list
            n = count_symbols(line, spec)
            if total + n > MAX_TOTAL_TOKENS:
                total += n
                full = True
                break
        tokens = tokenize_stream_line(line, spec)
        tokens = list(map(canonical.setdefault, tokens, tokens))  # one object per symbol
        if not tokens and line.strip():  # only possible with "sep:X"
            message = "no symbols here, only separators; only its line break is kept"
            per_line.add(Problem(number, message, "warning"))
        if number < n_lines:
            tokens.append(NEWLINE)
        if not tokens:  # the empty line after a final line break
            continue
        total += len(tokens)
        counts.update(tokens)
        if len(counts) > len(first_line):  # a symbol new on this line
            for t in tokens:
                first_line.setdefault(t, number)
        lines.append(number)
        pieces.append(tuple(tokens))
        full = total > MAX_TOTAL_TOKENS or len(counts) > MAX_VOCAB
        if full:
            break
    more = "more than " if full and number < n_lines else ""  # stopped before the end
    if total > MAX_TOTAL_TOKENS:
        whole.append(
            Problem(None, f"{more}{total:,} symbols in all; the limit is {MAX_TOTAL_TOKENS:,}")
        )
    if len(counts) > MAX_VOCAB:
        whole.append(Problem(None, f"more than {MAX_VOCAB:,} different symbols (the limit)"))
    if full:
        return per_line.analysis((), (), whole)
    if total < 2:
        whole.append(Problem(None, f"a stream needs at least two symbols; this text has {total}"))
    elif len(counts) == 1:
        (only,) = counts
        whole.append(
            Problem(None, f"every symbol is {quoted(only)}: there is nothing to learn", "warning")
        )
    if spec.kind != "chars":
        counts.pop(NEWLINE, None)  # a line break seen once is no typo
        for p in _singleton_warnings(counts, first_line):
            if p.line is None:
                whole.append(p)
            else:
                per_line.add(p)
    return per_line.analysis(tuple(lines), tuple(pieces), whole)


class _FirstProblems:
    """The first :data:`MAX_REPORTED` line errors and line warnings, and how many more.

    A text of millions of bad lines must not build millions of messages: no list shows
    more than :data:`MAX_REPORTED`, and :func:`check_text` keeps errors before warnings,
    so the first that many of each are all it can ever need.
    """

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.omitted_errors = 0
        self._more_warnings = 0

    def wants(self, n: int) -> bool:
        """Would the problem of a line of ``n`` symbols be kept?  Else it is only counted."""
        if n != 0 and len(self.errors) >= MAX_REPORTED:  # 1 symbol, or too many: an error
            self.omitted_errors += 1
            return False
        return True

    def add(self, problem: Problem) -> None:
        if problem.is_error:
            if len(self.errors) < MAX_REPORTED:
                self.errors.append(problem)
            else:
                self.omitted_errors += 1
        elif len(self.warnings) < MAX_REPORTED + _MAX_SINGLETON_LINES:
            # Loop warnings come in line order, then at most that many one-off-symbol
            # warnings anywhere: the first MAX_REPORTED of all are among those kept.
            self.warnings.append(problem)
        else:
            self._more_warnings += 1

    def analysis(
        self, lines: tuple[int, ...], tokens: tuple[tuple[str, ...], ...], whole: list[Problem]
    ) -> Analysis:
        warnings = sorted(self.warnings, key=lambda p: p.line or 0)
        kept = warnings[:MAX_REPORTED]
        # Stable: a line's error stays before its warnings.
        per_line = sorted(self.errors + kept, key=lambda p: p.line or 0)
        return Analysis(
            lines,
            tokens,
            tuple(whole + per_line),
            omitted_errors=self.omitted_errors,
            omitted_warnings=len(warnings) - len(kept) + self._more_warnings,
        )


def _check_line(
    number: int, n: int, tokens: list[str] | None, spec: TokenizerSpec
) -> Problem | None:
    """The one problem a line of ``n`` symbols can have on its own, if any.

    ``tokens`` may be None (not built) only when ``n`` is 2 or more.
    """
    if n == 0:
        # Only possible with "sep:X": the line is nothing but separators.
        return Problem(number, "no symbols here, only separators; the line is skipped", "warning")
    if n == 1:
        assert tokens is not None
        hint = ""
        if spec.kind == "sep" and spec.separator not in tokens[0]:
            hint = f" (there is no {quoted(spec.separator)} separator on this line)"
        return Problem(
            number,
            f"only one symbol, {quoted(tokens[0])}: a line needs at least two, "
            f"so there is something to predict{hint}",
        )
    if n > MAX_LINE_TOKENS:
        return Problem(
            number,
            f"{n:,} symbols on one line; the limit is {MAX_LINE_TOKENS:,} "
            "(split the text into several lines)",
        )
    return None


def _singleton_warnings(counts: Counter[str], first_line: dict[str, int]) -> list[Problem]:
    """Warn about symbols seen only once: with words or separators, often a typo ("piza").

    Not done for characters, where a rare letter is normal.  Natural text has many
    one-off words, so past a handful one summary replaces the per-line warnings.
    """
    once = [s for s, n in counts.items() if n == 1]
    if len(counts) < 2 or not once:
        return []
    by_line: dict[int, list[str]] = {}
    for s in once:
        by_line.setdefault(first_line[s], []).append(s)
    if len(by_line) > _MAX_SINGLETON_LINES:
        examples = ", ".join(quoted(s) for s in once[:5])
        message = (
            f"{len(once):,} symbols appear only once (e.g. {examples}): "
            "the network sees too little of them to learn what follows"
        )
        return [Problem(None, message, "warning")]
    problems = []
    for line, symbols in by_line.items():
        names = ", ".join(quoted(s) for s in symbols)
        verb = "appears" if len(symbols) == 1 else "appear"
        message = f"{names} {verb} only once in the whole text (a typo?)"
        problems.append(Problem(line, message, "warning"))
    return problems


def _empty_message(spec: TokenizerSpec) -> str:
    how = {
        "words": "symbols separated by spaces",
        "chars": "each character is a symbol",
        "sep": f"symbols separated by {quoted(spec.separator)}",
    }[spec.kind]
    return f"no sequences yet: type one sequence per line ({how}), at least two symbols each"
