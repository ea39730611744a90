"""Quoting a user's input in a message without copying all of it.

A message names what is wrong (``line 3: only one symbol, 'pizza…' (5,000,000
characters)``); it must not carry a five-megabyte symbol to the screen or to stderr.
Every layer that quotes input (data, project, CLI) uses :func:`quoted`.
"""

from __future__ import annotations

QUOTE_LIMIT = 60
"""Characters of a quoted input shown before it is cut."""


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, cut after ``limit`` characters of a long string with its length.

    >>> quoted("pizza")
    "'pizza'"
    >>> quoted("ab" * 50, limit=6)
    "'ababab…' (100 characters)"

    Anything that is not a string is shown by its ``repr``, cut the same way.
    """
    if not isinstance(value, str):
        shown = repr(value)
        if len(shown) <= limit:
            return shown
        return f"{shown[:limit]}… ({len(shown):,} characters)"
    if len(value) <= limit:
        return repr(value)
    head = repr(value[:limit])
    return f"{head[:-1]}…{head[-1]} ({len(value):,} characters)"
