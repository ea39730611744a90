"""The one exception a project file load or save raises, and the internal one behind it."""

from __future__ import annotations

import os


class ProjectFileError(Exception):
    """A project file could not be read or written.

    The message names the file and says what is wrong in plain words, e.g.
    ``"dinner.lstmproj: is truncated or damaged (...)"``; ``path`` and ``reason``
    hold the two parts for a UI that wants to lay them out itself.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class FormatProblem(Exception):
    """Raised deep inside the reader/writer, which do not know the path; the public
    functions turn it into :class:`ProjectFileError` with the path in front."""
