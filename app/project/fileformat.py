"""The ``.lstmproj`` project file: one ZIP with ``project.json`` and ``.npy`` arrays.

The layout, every field and every limit are documented in ``docs/FORMAT.md``.  Both
directions run the same checks (:func:`save_project` re-parses what it is about to
write), so whatever saves also loads.  Loading never runs code from the file: no
pickle, every field and array validated before use.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

import numpy as np

from app.project._document import (
    JSON_MEMBER,
    MIGRATIONS,
    SCHEMA_VERSION,
    ParsedDocument,
    parse_document,
    project_to_doc,
)
from app.project._jsonio import dumps, loads
from app.project._trainer_doc import ArraySpec
from app.project._zipread import MAX_JSON_BYTES, MAX_MEMBERS, MAX_TOTAL_BYTES, Archive
from app.project._zipwrite import save_atomically
from app.project.errors import FormatProblem, ProjectFileError
from app.project.project import Project

FILE_EXTENSION = ".lstmproj"
NOT_A_PROJECT = "not an LSTM Playground project"
_NOT_REGULAR = "is not a regular file (a pipe, device or socket cannot be a project)"

__all__ = [
    "FILE_EXTENSION",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ProjectFileError",
    "load_project",
    "save_project",
]


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write ``project`` to ``path`` atomically (the old file survives any failure).

    Raises
    ------
    ProjectFileError
        If the project cannot be stored (e.g. its text no longer tokenises to its
        model's vocabulary) or the file cannot be written (no permission, disk full).
    """
    try:
        doc, arrays, data = project_to_doc(project)
        json_bytes = dumps(doc)
        if len(json_bytes) > MAX_JSON_BYTES:
            raise FormatProblem(
                f"cannot be saved: project.json would be {len(json_bytes):,} "
                f"bytes; the limit is {MAX_JSON_BYTES:,}"
            )
        parsed = parse_document(loads(json_bytes), data)  # the loader's own checks
        _check_arrays(parsed, arrays)
        if len(arrays) + 1 > MAX_MEMBERS:  # the loader counts members before anything else
            raise FormatProblem(
                f"cannot be saved: it needs {len(arrays) + 1:,} members; the limit is "
                f"{MAX_MEMBERS:,} (fewer snapshots would fit)"
            )
        total = len(json_bytes) + sum(a.nbytes for a in arrays.values())
        if total > MAX_TOTAL_BYTES:
            raise FormatProblem(
                f"cannot be saved: it needs {total:,} bytes; the limit is {MAX_TOTAL_BYTES:,}"
            )
        save_atomically(os.fspath(path), json_bytes, arrays)
    except FormatProblem as e:
        raise ProjectFileError(path, str(e)) from None
    except OSError as e:
        raise ProjectFileError(path, f"could not be saved: {e.strerror or e}") from e


def _check_arrays(parsed: ParsedDocument, arrays: dict[str, np.ndarray]) -> None:
    expected: dict[str, ArraySpec] = parsed.members
    if set(arrays) != set(expected):
        raise FormatProblem("the trainer state's arrays do not match its model and optimiser")
    for name, (dtype, shape) in expected.items():
        a = arrays[name]
        if not isinstance(a, np.ndarray) or a.dtype.newbyteorder("<").str != dtype:
            raise FormatProblem(f"array {name!r} must be a NumPy array of {np.dtype(dtype).name}")
        if a.shape != shape:
            raise FormatProblem(f"array {name!r} has shape {a.shape}, expected {shape}")
    parsed.assemble(arrays)  # runs the cross-array checks too


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a project file, checking everything in it.

    Raises
    ------
    ProjectFileError
        For any problem: missing or unreadable file, not a project, damaged or
        truncated, written by a newer version, or contents that fail validation.
    """
    try:
        with _open_for_reading(os.fspath(path)) as fp:
            return _read(fp, os.fstat(fp.fileno()).st_size)
    except FormatProblem as e:
        raise ProjectFileError(path, str(e)) from None
    except (OSError, EOFError, ValueError, OverflowError, MemoryError) as e:
        # Our own reader reports damage as FormatProblem; this is the net below it.
        raise ProjectFileError(path, f"could not be read ({type(e).__name__}: {e})") from e


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs in its file system


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | _NONBLOCK)


def _open_for_reading(path: str) -> BinaryIO:
    """The file open for reading, once it is known to be a regular file.

    Nothing here can block: ``stat`` first (a device such as Windows' ``CON`` is
    refused unopened), then ``open`` without waiting (a FIFO would wait for a
    writer), then ``fstat`` again on what was really opened.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise FormatProblem(
                "is a folder, not a project file" if os.path.isdir(path) else _NOT_REGULAR
            )
        fp = open(path, "rb", opener=_open_nonblocking)  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise FormatProblem("no such file") from None
    except IsADirectoryError:
        raise FormatProblem("is a folder, not a project file") from None
    except PermissionError:
        # Windows refuses to open() a folder with a permission error.
        what = "is a folder, not a project file" if os.path.isdir(path) else "permission denied"
        raise FormatProblem(what) from None
    except OSError as e:
        raise FormatProblem(f"cannot be opened: {e.strerror or e}") from None
    if not stat.S_ISREG(os.fstat(fp.fileno()).st_mode):
        fp.close()  # replaced since the stat: a FIFO or device could block or never end
        raise FormatProblem(_NOT_REGULAR)
    if _NONBLOCK:
        os.set_blocking(fp.fileno(), True)  # no effect on a regular file; just tidy
    return fp


def _read(fp: BinaryIO, size: int) -> Project:
    if size == 0:
        raise FormatProblem(f"is empty ({NOT_A_PROJECT})")
    if fp.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise FormatProblem(f"{NOT_A_PROJECT} (not a ZIP file)")
    with Archive(fp, size) as archive:
        return _read_members(archive)


def _read_members(archive: Archive) -> Project:
    if JSON_MEMBER not in archive.names():
        raise FormatProblem(f"{NOT_A_PROJECT} (there is no {JSON_MEMBER} inside)")
    parsed = parse_document(loads(archive.read_bytes(JSON_MEMBER, MAX_JSON_BYTES)))
    expected = parsed.members
    missing = sorted(set(expected) - archive.names())
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        raise FormatProblem(f"is missing the array {missing[0]!r}{more}")
    extra = sorted(archive.names() - set(expected) - {JSON_MEMBER})
    if extra:
        raise FormatProblem(f"contains an unexpected member {extra[0]!r}")
    arrays = {name: archive.read_array(name, *spec) for name, spec in expected.items()}
    return parsed.assemble(arrays)
