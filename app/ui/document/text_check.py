"""Does the document's text give sequences?  If not, the controller's model is stale.

Text that cannot be trained on (empty, one-symbol lines, a stream of fewer than two
symbols, a bad tokenizer) leaves the
controller with the last good model, which no longer belongs to the document; the
exploring views then show a message instead, like the Train tab shows nothing.

Checking tokenises the whole text (about a second for a million symbols), so it is
done once per text, whichever view asks first: every view shares the answer.
"""

from __future__ import annotations

import functools

from app.data import DataError, SequenceData, SequenceMode, TokenizerSpec
from app.project.project import Project


@functools.lru_cache(maxsize=1)
def gives_sequences(text: str, tokenizer: str, sequences: SequenceMode = "lines") -> bool:
    """Can ``text`` tokenised by ``tokenizer`` and read as ``sequences`` (one per line, or
    one stream) be trained on (the last answer is kept)?"""
    try:
        spec = TokenizerSpec.parse(tokenizer)
        return SequenceData.from_text(text, spec, mode=sequences).n_sequences > 0
    except (DataError, ValueError):
        return False


class TextCheck:
    """Remembers the last text checked, so typing elsewhere costs nothing."""

    def __init__(self) -> None:
        self._key: tuple[str, str, SequenceMode] | None = None
        self.trainable = True

    def update(self, project: Project) -> bool:
        """Check ``project``'s text if it changed; True when ``trainable`` changed."""
        key = (project.text, project.tokenizer, project.sequences)
        if key == self._key:
            return False
        self._key = key
        trainable = gives_sequences(*key)
        changed, self.trainable = trainable != self.trainable, trainable
        return changed
