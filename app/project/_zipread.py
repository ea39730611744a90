"""Reading a project archive without trusting it.

:mod:`zipfile` parses only the central directory here; member data is read by
:class:`_MemberStream`, which inflates in bounded chunks, stops the moment a member
grows past its declared size, and always verifies the length and CRC at the end
(``zipfile`` skips the CRC when a member lies about its size).  Every limit is
checked from the directory *before* any member is read, and an array's ``.npy``
header is checked against the expected dtype and shape before its memory is
allocated.
"""

from __future__ import annotations

import ast
import io
import struct
import zipfile
import zlib
from typing import BinaryIO

import numpy as np

from app.project.errors import FormatProblem

MAX_MEMBERS = 2048
MAX_JSON_BYTES = 128 * 2**20
MAX_TOTAL_BYTES = 4 * 2**30
MAX_NPY_HEADER = 4096
MAX_RATIO = 1100  # DEFLATE cannot exceed ~1032:1; a larger claim is a lie or a bomb
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


class Archive:
    """The checked directory of a project ZIP open in ``fp`` (``size`` bytes long)."""

    def __init__(self, fp: BinaryIO, size: int) -> None:
        self._fp = fp
        try:
            with zipfile.ZipFile(fp) as zf:  # closing it leaves our fp open
                infos = zf.infolist()
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
            struct.error,
            OverflowError,
            NotImplementedError,
        ) as e:
            raise FormatProblem(f"{DAMAGED} (its ZIP directory cannot be read: {e})") from None
        if len(infos) > MAX_MEMBERS:
            raise FormatProblem(f"has {len(infos)} members; the limit is {MAX_MEMBERS}")
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
        self._starts = self._locate(size)

    def _locate(self, size: int) -> dict[str, int]:
        """Where each member's data starts; refuses data that overlaps or runs off the end."""
        starts: dict[str, int] = {}
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
            starts[info.orig_filename] = start
        return starts

    def names(self) -> set[str]:
        return set(self.members)

    def _open(self, name: str) -> _MemberStream:
        return _MemberStream(self._fp, self.members[name], self._starts[name])

    def read_bytes(self, name: str, limit: int) -> bytes:
        """The whole member, refused before reading if it declares more than ``limit``."""
        size = self.members[name].file_size
        if size > limit:
            raise FormatProblem(f"{name} is {size:,} bytes; the limit is {limit:,}")
        stream = self._open(name)
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
        stream = self._open(name)
        header_size, (got_shape, fortran, _) = _read_npy_header(stream, name, want)
        if fortran:
            raise FormatProblem(f"array {name!r} is in Fortran order; project files use C order")
        if tuple(got_shape) != shape:
            raise FormatProblem(f"array {name!r} has shape {tuple(got_shape)}, expected {shape}")
        if header_size + nbytes != info.file_size:
            raise FormatProblem(f"{DAMAGED} (array {name!r} does not match its own header)")
        out = np.empty(shape, dtype=want)  # only now, with every size known to be right
        stream.read_into(out.reshape(-1).view(np.uint8).data)
        stream.finish()
        return out if out.dtype.isnative else out.astype(out.dtype.newbyteorder("="))


def _read_npy_header(
    stream: _MemberStream, name: str, want: np.dtype
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


class _MemberStream:
    """Sequential bytes of one member: bounded inflation, length and CRC verified."""

    def __init__(self, fp: BinaryIO, info: zipfile.ZipInfo, start: int) -> None:
        self._fp, self._info, self._pos = fp, info, start
        self._raw_left = info.compress_size
        self._inflater = (
            None if info.compress_type == zipfile.ZIP_STORED else zlib.decompressobj(-15)
        )
        self._pending = b""  # compressed input not yet inflated
        self._buffer = b""  # inflated output not yet handed out
        self._produced = 0
        self._crc = 0

    def _damaged(self, why: str) -> FormatProblem:
        return FormatProblem(f"{DAMAGED} (member {self._info.filename!r} {why})")

    def _raw(self) -> bytes:
        n = min(_CHUNK, self._raw_left)
        self._fp.seek(self._pos)
        data = self._fp.read(n)
        if len(data) != n:
            raise self._damaged("is cut off")
        self._pos += n
        self._raw_left -= n
        return data

    def _next_piece(self) -> bytes:
        """The next inflated bytes, at most ``_CHUNK`` of them; ``b""`` at the end."""
        if self._inflater is None:
            return self._raw() if self._raw_left else b""
        while not self._inflater.eof:
            if not self._pending:
                if not self._raw_left:
                    return b""
                self._pending = self._raw()
            try:
                out = self._inflater.decompress(self._pending, _CHUNK)
            except zlib.error:
                raise self._damaged("has corrupt compressed data") from None
            self._pending = self._inflater.unconsumed_tail
            if out:
                return out
        return b""

    def _fill(self) -> bool:
        piece = self._next_piece()
        if not piece:
            return False
        self._produced += len(piece)
        if self._produced > self._info.file_size:
            raise self._damaged("inflates past its declared size")
        self._crc = zlib.crc32(piece, self._crc)
        self._buffer = piece
        return True

    def read_into(self, out: memoryview) -> None:
        """Fill ``out`` completely, or fail."""
        filled = 0
        while filled < len(out):
            if not self._buffer and not self._fill():
                raise self._damaged("ends early")
            n = min(len(out) - filled, len(self._buffer))
            out[filled : filled + n] = self._buffer[:n]
            self._buffer = self._buffer[n:]
            filled += n

    def read(self, n: int) -> bytes:
        buf = bytearray(n)
        self.read_into(memoryview(buf))
        return bytes(buf)

    def finish(self) -> None:
        """Check that the member ends here, at its declared size, with the right CRC."""
        if self._buffer or self._fill():
            raise self._damaged("is longer than its contents")
        if self._inflater is not None and (
            not self._inflater.eof or self._inflater.unused_data or self._raw_left or self._pending
        ):
            raise self._damaged("has a broken compressed stream")
        if self._produced != self._info.file_size:
            raise self._damaged("ends early")
        if self._crc != self._info.CRC:
            raise self._damaged("fails its checksum")
