"""The corpus of the real-text benchmarks: ~1 MB of Python's own standard library sources.

Deterministic for a given Python installation: the ``*.py`` files under
``sysconfig.get_paths()["stdlib"]`` in sorted order (``site-packages`` left out), their
lines concatenated until the text reaches ``size`` characters.  Symbols are characters
(the ``chars`` tokenizer), ~95 of them.  Stdlib only: importable before NumPy loads.

* :func:`corpus_text` — the text (stream mode reads it as one sequence);
* :func:`corpus_lines` — its lines with at least two symbols (lines mode refuses shorter
  ones, as the issue's 147 refused lines showed);
* :func:`encode` — symbol ids over the sorted set of characters.
"""

from __future__ import annotations

import sysconfig
from functools import cache
from pathlib import Path

SIZE = 1_000_000


@cache
def corpus_text(size: int = SIZE) -> str:
    """The first ``size`` characters (whole lines, ≥ ``size``) of the sorted stdlib sources."""
    root = Path(sysconfig.get_paths()["stdlib"])
    parts: list[str] = []
    total = 0
    for path in sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line in text.splitlines(keepends=True):
            line = line.rstrip("\r\n") + "\n"
            if not line.isascii():  # a few files carry non-ASCII: keep ~95 symbols
                continue
            parts.append(line)
            total += len(line)
            if total >= size:
                return "".join(parts)
    return "".join(parts)


def corpus_lines(size: int = SIZE) -> list[str]:
    """The corpus's lines (no line breaks) with at least two symbols."""
    return [line for line in corpus_text(size).split("\n") if len(line) >= 2]


def encode(texts: list[str]) -> tuple[list[str], list[list[int]]]:
    """The sorted vocabulary of ``texts`` and each text as symbol ids."""
    vocab = sorted(set().union(*map(set, texts)))
    index = {s: i for i, s in enumerate(vocab)}
    return vocab, [[index[s] for s in text] for text in texts]


def describe(size: int = SIZE) -> str:
    text = corpus_text(size)
    lines = corpus_lines(size)
    return (
        f"corpus: Python {sysconfig.get_python_version()} stdlib sources, {len(text):,} "
        f"characters, {len(set(text))} symbols; lines mode: {len(lines):,} lines of ≥ 2 "
        f"symbols, {sum(map(len, lines)):,} characters, {len(set(''.join(lines)))} symbols"
    )


if __name__ == "__main__":
    print(describe())
