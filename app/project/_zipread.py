"""Reading a project archive without trusting it.

Every limit is checked from the ZIP directory *before* any member is read: member
count, names, methods, declared sizes, compression ratios, the total, and where each
member lies in the file.  Member data is then read with :mod:`zipfile`'s own
streaming reader in bounded pieces (:class:`_Member`): it is never asked for more
than one byte past a member's declared size, so a member that inflates further is
refused at once, and the length and CRC are verified over exactly what came out.
An array's ``.npy`` header is checked against the expected dtype and shape before
its memory is allocated.
"""

from __future__ import annotations

import ast
import copy
import io
import struct
import zipfile
import zlib
from types import TracebackType
from typing import BinaryIO

import numpy as np

from app.project.errors import FormatProblem

MAX_MEMBERS = 2048
MAX_JSON_BYTES = 128 * 2**20
MAX_TOTAL_BYTES = 4 * 2**30
MAX_NPY_HEADER = 4096
MAX_RATIO = 1100  # DEFLATE cannot exceed ~1032:1; a larger claim is a lie or a bomb
MAX_NAME_BYTES = 40
"""Room for the longest name a project member can have: ``rival/snapshots/`` + an epoch
of up to 16 digits (2**53 - 1) + ``.npy`` is 36 bytes."""
ENTRY_EXTRA_BYTES = 64
"""Per directory entry, room for extra fields (ZIP64 sizes take 28 bytes; other ZIP
tools add timestamps, ~20-36 bytes) and a comment."""
_CENTRAL_ENTRY = 46  # the fixed part of a central-directory entry
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory: signature … comment length
_ZIP64_LOCATOR = struct.Struct("<4sLqL")  # signature, disk, record offset, disks
_ZIP64_EOCD = struct.Struct("<4sqhhLLqqqq")  # … entries here, entries, size, offset
_MAX_COMMENT = 0xFFFF
_CHUNK = 2**20
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature … name length, extra length
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
DAMAGED = "is truncated or damaged"


def _check_name(name: str) -> None:
    parts = name.removesuffix("/").split("/")  # a trailing "/" marks a folder entry
    if (
        name.startswith("/")
        or "\\" in name
        or ":" in name
        or "\0" in name
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise FormatProblem(f"contains a member with an unsafe name {name[:80]!r}")


def max_directory_bytes() -> int:
    """The largest central directory a project can have: ``MAX_MEMBERS`` entries, each
    with the longest name and room for extra fields."""
    return MAX_MEMBERS * (_CENTRAL_ENTRY + MAX_NAME_BYTES + ENTRY_EXTRA_BYTES)


def _check_directory_extent(fp: BinaryIO, size: int) -> None:
    """Refuse a directory with too many entries or too many bytes from the end records'
    own claims, before :mod:`zipfile` reads (and parses) the whole directory.

    The records are looked for exactly where :mod:`zipfile` looks: the end-of-directory
    record is the file's last 22 bytes, or else the last signature in the final 64 KiB;
    the ZIP64 locator lies just before it and the ZIP64 record just before that.  When
    nothing is found, :mod:`zipfile` says the file is not a ZIP.
    """
    tail_start = max(size - _EOCD.size - _MAX_COMMENT - 1, 0)
    fp.seek(tail_start)
    tail = fp.read(size - tail_start)
    last = len(tail) - _EOCD.size
    if last >= 0 and tail.startswith(b"PK\x05\x06", last) and tail.endswith(b"\0\0"):
        at = last
    else:
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at > last:
            return
    fields = _EOCD.unpack_from(tail, at)
    count, directory = fields[4], fields[5]
    record = tail_start + at
    if record >= _ZIP64_LOCATOR.size + _ZIP64_EOCD.size:
        fp.seek(record - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size)
        raw = fp.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
        if raw[_ZIP64_EOCD.size :].startswith(b"PK\x06\x07") and raw.startswith(b"PK\x06\x06"):
            fields = _ZIP64_EOCD.unpack_from(raw)
            count, directory = fields[7], fields[8]
    if not 0 <= count <= MAX_MEMBERS:
        raise FormatProblem(f"has {count:,} members; the limit is {MAX_MEMBERS:,}")
    if not 0 <= directory <= max_directory_bytes():
        raise FormatProblem(
            f"has a ZIP directory of {directory:,} bytes; a project's is at most "
            f"{max_directory_bytes():,}"
        )


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,  # UnicodeDecodeError among them
    struct.error,
    OverflowError,
    NotImplementedError,
)


class Archive:
    """The checked directory of a project ZIP open in ``fp`` (``size`` bytes long).

    Use it in a ``with`` block (closing it leaves ``fp`` open).
    """

    def __init__(self, fp: BinaryIO, size: int) -> None:
        self._fp = fp
        _check_directory_extent(fp, size)
        try:
            self._zip = zipfile.ZipFile(fp)
            infos = self._zip.infolist()
        except _ZIP_ERRORS as e:
            raise FormatProblem(f"{DAMAGED} (its ZIP directory cannot be read: {e})") from None
        try:
            self._check(infos, size)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()  # a ZipFile given an open file leaves that file open

    def _check(self, infos: list[zipfile.ZipInfo], size: int) -> None:
        if len(infos) > MAX_MEMBERS:
            raise FormatProblem(f"has {len(infos):,} members; the limit is {MAX_MEMBERS:,}")
        self.members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.orig_filename  # .filename is cut at a NUL and has "\\" turned to "/"
            _check_name(name)
            if name != info.filename:
                raise FormatProblem(f"contains a member with an unsafe name {name[:80]!r}")
            if name in self.members:
                raise FormatProblem(f"contains the member {name!r} twice")
            if info.flag_bits & 0x1:
                raise FormatProblem(f"member {name!r} is encrypted")
            if info.compress_type not in _METHODS:
                raise FormatProblem(
                    f"member {name!r} uses an unsupported compression method "
                    f"({info.compress_type}); only stored and deflated are read"
                )
            stored = info.compress_type == zipfile.ZIP_STORED
            if (stored and info.compress_size != info.file_size) or (
                info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise FormatProblem(
                    f"member {name!r} claims to expand from {info.compress_size:,} to "
                    f"{info.file_size:,} bytes, which is impossible (a ZIP bomb?)"
                )
            total += info.file_size
            self.members[name] = info
        if total > MAX_TOTAL_BYTES:
            raise FormatProblem(
                f"would unpack to {total:,} bytes; the limit is {MAX_TOTAL_BYTES:,}"
            )
        self._locate(size)

    def _locate(self, size: int) -> None:
        """Refuse members whose data overlaps another's or runs off the end of the file."""
        by_offset = sorted(self.members.values(), key=lambda i: i.header_offset)
        bounds = [i.header_offset for i in by_offset[1:]] + [size]
        for info, end in zip(by_offset, bounds, strict=True):
            if not 0 <= info.header_offset <= size:
                raise FormatProblem(f"{DAMAGED} (member {info.filename!r} is out of place)")
            self._fp.seek(info.header_offset)
            raw = self._fp.read(_LOCAL_HEADER.size)
            if len(raw) != _LOCAL_HEADER.size:
                raise FormatProblem(f"{DAMAGED} (member {info.filename!r} is cut off)")
            fields = _LOCAL_HEADER.unpack(raw)
            if fields[0] != b"PK\x03\x04":
                raise FormatProblem(f"{DAMAGED} (member {info.filename!r} has no header)")
            name_len, extra_len = fields[9], fields[10]
            local_name = self._fp.read(name_len)
            encoding = "utf-8" if fields[2] & 0x800 else "cp437"
            if local_name.decode(encoding, "replace") != info.orig_filename:
                raise FormatProblem(f"{DAMAGED} (member {info.filename!r} has two names)")
            start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
            if start + info.compress_size > end:
                raise FormatProblem(f"{DAMAGED} (member {info.filename!r} runs past its end)")

    def names(self) -> set[str]:
        return set(self.members)

    def _open(self, name: str) -> _Member:
        return _Member(self._zip, self.members[name])

    def read_bytes(self, name: str, limit: int) -> bytes:
        """The whole member, refused before reading if it declares more than ``limit``."""
        size = self.members[name].file_size
        if size > limit:
            raise FormatProblem(f"{name} is {size:,} bytes; the limit is {limit:,}")
        with self._open(name) as stream:
            buf = bytearray(size)
            stream.read_into(memoryview(buf))
            stream.finish()
        return bytes(buf)

    def read_array(self, name: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
        """A ``.npy`` member, checked to be exactly ``dtype`` (e.g. ``"<f8"``) and ``shape``."""
        info, want = self.members[name], np.dtype(dtype)
        nbytes = int(np.prod(shape, dtype=np.int64)) * want.itemsize
        if info.file_size > nbytes + MAX_NPY_HEADER + 16:
            raise FormatProblem(
                f"array {name!r} is {info.file_size:,} bytes, far more than "
                f"a {shape} {want.name} array needs"
            )
        with self._open(name) as stream:
            header_size, (got_shape, fortran, _) = _read_npy_header(stream, name, want)
            if fortran:
                raise FormatProblem(
                    f"array {name!r} is in Fortran order; project files use C order"
                )
            if tuple(got_shape) != shape:
                raise FormatProblem(
                    f"array {name!r} has shape {tuple(got_shape)}, expected {shape}"
                )
            if header_size + nbytes != info.file_size:
                raise FormatProblem(f"{DAMAGED} (array {name!r} does not match its own header)")
            out = np.empty(shape, dtype=want)  # only now, with every size known to be right
            stream.read_into(out.reshape(-1).view(np.uint8).data)
            stream.finish()
        return out if out.dtype.isnative else out.astype(out.dtype.newbyteorder("="))


def _read_npy_header(
    stream: _Member, name: str, want: np.dtype
) -> tuple[int, tuple[tuple[int, ...], bool, np.dtype]]:
    """Parse a ``.npy`` header with NumPy's own reader, after bounding its length and
    checking its dtype: NumPy would warn about (or run) odd dtypes we never want."""
    magic = stream.read(8)
    try:
        version = np.lib.format.read_magic(io.BytesIO(magic))
    except ValueError:
        raise FormatProblem(f"member {name!r} is not a NumPy .npy array") from None
    if version not in ((1, 0), (2, 0)):
        raise FormatProblem(f"array {name!r} uses .npy version {version}; 1.0 and 2.0 are read")
    length_format = "<H" if version == (1, 0) else "<I"
    length_bytes = stream.read(struct.calcsize(length_format))
    (length,) = struct.unpack(length_format, length_bytes)
    if length > MAX_NPY_HEADER:
        raise FormatProblem(
            f"array {name!r} has a {length:,}-byte header; the limit is {MAX_NPY_HEADER:,}"
        )
    header = stream.read(length)
    unreadable = FormatProblem(f"array {name!r} has an unreadable .npy header")
    try:
        fields = ast.literal_eval(header.decode("latin1"))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise unreadable from None
    if not isinstance(fields, dict) or "descr" not in fields:
        raise unreadable
    descr = fields["descr"]
    if descr in ("O", "|O") or (isinstance(descr, list) and "O" in repr(descr)):
        raise FormatProblem(f"array {name!r} holds Python objects; project files never do")
    if descr != want.str:
        raise FormatProblem(
            f"array {name!r} has dtype {str(descr)[:40]!r}, expected {want.str!r} ({want.name})"
        )
    read_header = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    try:
        parsed = read_header(io.BytesIO(length_bytes + header), max_header_size=MAX_NPY_HEADER)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise unreadable from None
    return 8 + len(length_bytes) + length, parsed


class _Member:
    """One member's bytes in order, read by :mod:`zipfile` in pieces of at most ``_CHUNK``.

    ``zipfile`` is handed a copy of the member's entry that declares one byte more
    than the real one, so a member that inflates past its declared size shows that
    byte and is refused at once, never read further.  The copy carries no CRC, so
    ``zipfile`` does not check it over those bytes; :meth:`finish` checks the length
    and the CRC over exactly the declared bytes.
    """

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self._info = info
        self._produced = 0
        self._crc = 0
        bounded = copy.copy(info)
        bounded.file_size = info.file_size + 1
        del bounded.CRC
        try:
            self._stream = zf.open(bounded)
        except _ZIP_ERRORS as e:
            raise self._damaged(f"cannot be opened: {e}") from None

    def __enter__(self) -> _Member:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stream.close()

    def _damaged(self, why: str) -> FormatProblem:
        return FormatProblem(f"{DAMAGED} (member {self._info.filename!r} {why})")

    def _piece(self, n: int) -> bytes:
        """At most ``n`` more bytes; ``b""`` at the end of the member."""
        try:
            piece = self._stream.read(n)
        except zlib.error:
            raise self._damaged("has corrupt compressed data") from None
        except EOFError:
            raise self._damaged("is cut off") from None
        except _ZIP_ERRORS as e:
            raise self._damaged(f"cannot be read: {e}") from None
        self._produced += len(piece)
        if self._produced > self._info.file_size:
            raise self._damaged("inflates past its declared size")
        self._crc = zlib.crc32(piece, self._crc)
        return piece

    def read_into(self, out: memoryview) -> None:
        """Fill ``out`` completely, or fail."""
        filled = 0
        while filled < len(out):
            piece = self._piece(min(_CHUNK, len(out) - filled))
            if not piece:
                raise self._damaged("ends early")
            out[filled : filled + len(piece)] = piece
            filled += len(piece)

    def read(self, n: int) -> bytes:
        buf = bytearray(n)
        self.read_into(memoryview(buf))
        return bytes(buf)

    def finish(self) -> None:
        """Check that the member ends here, at its declared size, with the right CRC."""
        self._piece(1)  # refused if there is one: the member goes on past its declared size
        if self._produced != self._info.file_size:
            raise self._damaged("ends early")
        if self._crc != self._info.CRC:
            raise self._damaged("fails its checksum")
