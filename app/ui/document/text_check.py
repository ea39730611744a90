"""Does the document's text give sequences?  If not, the controller's model is stale.

Text that cannot be trained on (empty, one-symbol lines, a bad tokenizer) leaves the
controller with the last good model, which no longer belongs to the document; the
exploring views then show a message instead, like the Train tab shows nothing.
"""

from __future__ import annotations

from app.data import DataError
from app.project.project import Project


class TextCheck:
    """Remembers the last text checked, so typing elsewhere costs nothing."""

    def __init__(self) -> None:
        self._key: tuple[str, str] | None = None
        self.trainable = True

    def update(self, project: Project) -> bool:
        """Check ``project``'s text if it changed; True when ``trainable`` changed."""
        key = (project.text, project.tokenizer)
        if key == self._key:
            return False
        self._key = key
        try:
            trainable = project.data().n_sequences > 0
        except (DataError, ValueError):
            trainable = False
        changed, self.trainable = trainable != self.trainable, trainable
        return changed
