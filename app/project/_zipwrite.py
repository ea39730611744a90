"""Writing a project archive atomically: a crash or a full disk never leaves half a file.

The archive goes to a temporary file in the target's folder (so the final rename
stays on one file system), is flushed and fsync'ed, and only then renamed over the
target with :func:`os.replace`, which is atomic on POSIX and Windows.  On any error
the temporary file is removed and the old project file is untouched.

A save killed outright (``kill -9``, a power cut) cannot remove its temporary file;
the next successful save of the same project does.  A save in progress holds its
temporary file locked (POSIX) or open (Windows, which deletes no open file), so only
abandoned ones are removed, and only this project's: exactly the names
:func:`tempfile.mkstemp` gives for this target.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import zipfile
from typing import BinaryIO

import numpy as np

from app.project.errors import FormatProblem

if sys.platform != "win32":
    import fcntl

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same project gives the same bytes


def _current_umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it…
    os.umask(mask)  # …and put it straight back
    return mask


_UMASK = _current_umask()  # read once at import, before the GUI starts any threads


def _member(name: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = method
    info.create_system = 3  # Unix, whichever system wrote it: identical bytes everywhere
    info.external_attr = 0o644 << 16
    return info


def write_archive(fp: BinaryIO, json_bytes: bytes, arrays: dict[str, np.ndarray]) -> None:
    """``project.json`` (deflated) then every array as a stored (uncompressed) ``.npy``.

    Arrays are stored, not deflated: trained weights hardly compress, and storing
    keeps saving as fast as the disk.
    """
    with zipfile.ZipFile(fp, "w", allowZip64=True) as zf:
        zf.writestr(_member("project.json", zipfile.ZIP_DEFLATED), json_bytes)
        for name, array in arrays.items():
            little = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
            info = _member(name, zipfile.ZIP_STORED)
            info.file_size = little.nbytes + 256  # an estimate; lets zipfile pick ZIP64 early
            with zf.open(info, "w") as out:
                np.lib.format.write_array(out, little, allow_pickle=False)


def _mode_for(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777  # keep an existing file's permissions
    except FileNotFoundError:
        return 0o666 & ~_UMASK  # what open() would have given a new file


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable; not possible everywhere (Windows), so best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temporary_prefix(target: str) -> str:
    return f".{os.path.basename(target)}.tmp"


def _temporary_names(target: str) -> re.Pattern[str]:
    """The names :func:`tempfile.mkstemp` makes with this target's prefix: the prefix
    and 8 characters of ``[a-z0-9_]``."""
    return re.compile(re.escape(_temporary_prefix(target)) + "[a-z0-9_]{8}")


def _hold(fd: int) -> None:
    """Mark a temporary file as in use until it is closed or its process dies."""
    if sys.platform != "win32":
        with contextlib.suppress(OSError):  # a file system without locks: best effort
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_if_abandoned(path: str) -> None:
    """Remove ``path`` if it is a regular file no save holds; never follows a link."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        return
    if sys.platform == "win32":
        os.unlink(path)  # refused while a save has it open
        return
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: a save holds it
        if os.path.samestat(os.fstat(fd), os.lstat(path)):
            os.unlink(path)
    finally:
        os.close(fd)


def remove_stale_temporaries(target: str) -> None:
    """Remove the temporary files that interrupted saves of ``target`` left behind."""
    folder = os.path.dirname(target)
    names = _temporary_names(target)
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for name in entries:
        if names.fullmatch(name):
            with contextlib.suppress(OSError):  # gone, held, or not ours to remove
                _remove_if_abandoned(os.path.join(folder, name))


def save_atomically(path: str, json_bytes: bytes, arrays: dict[str, np.ndarray]) -> None:
    """Write the archive to ``path`` atomically (a symlink's target is replaced); then
    remove what interrupted saves of the same file left behind."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if os.path.isdir(target):
        raise FormatProblem("is a folder; choose a file name to save the project to")
    if not os.path.isdir(folder):
        raise FormatProblem(f"cannot be saved: the folder {folder} does not exist")
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(target), dir=folder)
    try:
        with open(fd, "wb") as fp:
            _hold(fp.fileno())
            write_archive(fp, json_bytes, arrays)
            fp.flush()
            os.fsync(fp.fileno())
            os.chmod(tmp, mode)
            if sys.platform != "win32":
                os.replace(tmp, target)  # still held: no other save takes it for abandoned
        if sys.platform == "win32":
            os.replace(tmp, target)  # Windows renames only a closed file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)
    remove_stale_temporaries(target)
