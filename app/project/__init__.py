"""The project layer: the :class:`Project` dataclass and its ``.lstmproj`` file format.

Pure Python and NumPy; never imports Qt.
"""

from __future__ import annotations

from app.project.fileformat import (
    FILE_EXTENSION,
    SCHEMA_VERSION,
    ProjectFileError,
    load_project,
    save_project,
)
from app.project.project import Project, RivalModel

__all__ = [
    "FILE_EXTENSION",
    "SCHEMA_VERSION",
    "Project",
    "ProjectFileError",
    "RivalModel",
    "load_project",
    "save_project",
]
