"""The Generate view's logic without widgets: prompt → ids, ids → text, where a roll-out goes.

The "away for two weeks" roll-out of the lecture: after the prompt, every prediction
is fed back as the next input.  :func:`find_cycle` tells whether the result settles
into a loop (the dinner cycle, or a short-memory model's "saw Doug saw Doug …").
:func:`roll_out_at` runs it on a stored epoch's weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.analysis.sequence_view import snapshot_params
from app.analysis.usable import check_predictions
from app.data import NEWLINE, DataError, TokenizerSpec, Vocabulary, tokenize_line
from app.data.tokenize import PUNCTUATION, display_symbol, split_lines, stream_tokens
from app.engine.inference import Generated, generate
from app.engine.intervene import Intervention
from app.engine.network import Network
from app.engine.snapshots import Snapshot

MAX_LISTED = 60  # symbols of the vocabulary an error message lists
MAX_LOOP_SHOWN = 16  # symbols of a loop the sentence spells out


class PromptError(ValueError):
    """The prompt cannot be used; the message says why in plain words."""


def quoted(symbol: str) -> str:
    return f"“{display_symbol(symbol)}”"


LINE_BREAK_TYPED = ("\u23ce", "\\n")
"""What a one-line prompt box takes for a line break in a stream: ⏎, or backslash-n."""


def encode_prompt(
    text: str, tokenizer: str, vocabulary: Vocabulary, stream: bool = False
) -> np.ndarray:
    """The prompt's symbol ids, cut by the project's tokenizer.

    In a ``stream`` the prompt is read like the stream: each line break (typed as
    one, or as ⏎ or ``\\n``: :data:`LINE_BREAK_TYPED`) is the symbol
    :data:`~app.data.NEWLINE`; otherwise its lines are read as one.

    Raises
    ------
    PromptError
        The prompt has no symbols, or symbols the network has never seen (all named,
        with the vocabulary listed).
    """
    try:
        spec = TokenizerSpec.parse(tokenizer)
    except DataError as exc:
        raise PromptError(str(exc)) from None
    tokens = prompt_symbols(text, spec, stream)
    if not tokens:
        example = quoted(vocabulary.symbols[0]) if len(vocabulary) else "a symbol"
        raise PromptError(f"Type at least one symbol to start from, for example {example}.")
    unknown = [t for t in dict.fromkeys(tokens) if t not in vocabulary]
    if unknown:
        names = ", ".join(quoted(t) for t in unknown)
        verb = "is" if len(unknown) == 1 else "are"
        it = "it" if len(unknown) == 1 else "them"
        raise PromptError(
            f"{names} {verb} not in the vocabulary: the network has never seen {it}. "
            f"It knows {len(vocabulary)} symbols: {vocabulary_list(vocabulary)}."
        )
    return vocabulary.encode(tokens)


def prompt_symbols(text: str, spec: TokenizerSpec, stream: bool) -> list[str]:
    """A typed prompt's symbols: its lines read as one line, or in a ``stream`` each line
    break (typed as one, or as :data:`LINE_BREAK_TYPED`) the symbol :data:`NEWLINE`."""
    if not stream:
        return tokenize_line(" ".join(split_lines(text)), spec)
    for typed in LINE_BREAK_TYPED:
        text = text.replace(typed, NEWLINE)
    return stream_tokens(text, spec)  # as the stream reads it: indentation kept


def typed_prompt(symbols: Sequence[str], tokenizer: str) -> str:
    """``symbols`` written for a one-line prompt box: joined as text, line breaks as ⏎."""
    return join_symbols(symbols, tokenizer).replace(NEWLINE, LINE_BREAK_TYPED[0])


def roll_out_at(
    network: Network,
    snapshot: Snapshot,
    prefix: np.ndarray,
    n: int,
    temperature: float = 0.0,
    rng: np.random.Generator | None = None,
    intervention: Intervention | None = None,
) -> Generated:
    """``prefix`` continued by ``n`` symbols with the snapshot's weights (see ``generate``),
    with ``intervention`` applied when given.

    Raises :class:`~app.analysis.usable.UnusableWeights` when the weights hold NaN or
    infinities, or give NaN predictions.
    """
    params = snapshot_params(network, snapshot)
    result = generate(network, params, prefix, n, temperature, rng, intervention)
    check_predictions(result.probs, snapshot.epoch)
    return result


def vocabulary_list(vocabulary: Vocabulary) -> str:
    shown = [display_symbol(s) for s in vocabulary.symbols[:MAX_LISTED]]
    more = len(vocabulary) - len(shown)
    return "  ".join(shown) + (f"  … and {more} more" if more > 0 else "")


def join_symbols(symbols: Sequence[str], tokenizer: str) -> str:
    """Symbols written as text the tokenizer would cut the same way.

    Characters join with nothing; a separator joins with itself (plus a space after a
    visible one: ``"C4, D4"``); words join with spaces, with no space before ``. , ! ?
    ; :`` (``"Doug saw Jane."``).  A stream's line break (:data:`~app.data.NEWLINE`)
    ends a line: the symbols between line breaks are joined as a line and the lines
    with line breaks (``"Doug saw Jane.\nJane saw Spot."``).
    """
    try:
        spec = TokenizerSpec.parse(tokenizer)
    except DataError:
        spec = TokenizerSpec("words")
    if NEWLINE in symbols and spec.kind != "chars":
        lines: list[list[str]] = [[]]
        for s in symbols:
            if s == NEWLINE:
                lines.append([])
            else:
                lines[-1].append(s)
        return NEWLINE.join(join_symbols(line, tokenizer) for line in lines)
    if spec.kind == "chars":
        return "".join(symbols)
    if spec.kind == "sep":
        sep = spec.separator
        return (sep if sep != sep.strip() or not sep.strip() else sep + " ").join(symbols)
    out: list[str] = []
    for s in symbols:
        glue = "" if not out or (len(s) == 1 and s in PUNCTUATION) else " "
        out.append(glue + s)
    return "".join(out)


def find_cycle(ids: Sequence[int] | np.ndarray) -> tuple[int, int] | None:
    """``(start, period)`` of the loop the end of ``ids`` settles into, or None.

    From ``start`` on, every symbol equals the one ``period`` steps later; the shortest
    such period is taken, and the loop must go round at least twice (and cover at
    least 4 symbols) so a chance repeat does not count.
    """
    seq = [int(i) for i in ids]
    n = len(seq)
    for period in range(1, n // 2 + 1):
        start = n - period
        while start > 0 and seq[start - 1] == seq[start - 1 + period]:
            start -= 1
        if n - start >= max(2 * period, 4):
            return start, period
    return None


@dataclass(frozen=True)
class Candidate:
    symbol: str
    probability: float
    chosen: bool


def top_candidates(
    probs: np.ndarray, chosen: int, vocabulary: Sequence[str], k: int = 3
) -> list[Candidate]:
    """The ``k`` likeliest symbols of one step's prediction vector, likeliest first."""
    order = np.argsort(-probs, kind="stable")[:k]  # ties keep the vocabulary's order
    return [Candidate(vocabulary[i], float(probs[i]), int(i) == chosen) for i in order]


def describe_ending(ids: Sequence[int] | np.ndarray, vocabulary: Sequence[str]) -> str:
    """One sentence on where the roll-out went (plain text)."""
    n = len(ids)
    if n == 0:
        return "Nothing generated (length 0)."
    cycle = find_cycle(ids)
    if cycle is None:
        if n < 4:
            return "Too few steps to see where it goes: ask for more symbols."
        return (
            f"No loop has come round twice within {n} steps: ask for more symbols to see "
            "whether it settles."
        )
    start, period = cycle
    loop = [vocabulary[int(i)] for i in ids[start : start + period]]
    where = "From the first step" if start == 0 else f"From step {start + 1}"
    if period == 1:
        return f"{where} it is stuck: {quoted(loop[0])} again and again."
    arrows = " → ".join(quoted(s) for s in loop[:MAX_LOOP_SHOWN])
    more = " → … (the loop goes on)" if period > MAX_LOOP_SHOWN else " → …"
    return f"{where} it settles into a loop of {period}: {arrows}{more}"
