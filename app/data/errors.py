"""The one exception the data layer raises for anything wrong with a user's text."""

from __future__ import annotations


class DataError(ValueError):
    """The text, a tokenizer string, a vocabulary look-up or a preset is unusable.

    The message is written for the learner who typed the text: it says what is wrong
    and, where there is one, on which line.
    """
