"""The ZIP container: valid members of every size are read, whatever wrote them."""

from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from app.data import checks
from app.engine import config
from app.engine.config import ModelConfig, TrainConfig
from app.project import (
    Project,
    ProjectFileError,
    _jsonio,
    _trainer_doc,
    _zipread,
    load_project,
    save_project,
)
from app.project._jsonio import MAX_COUNT
from app.project._trainer_doc import slot_member, snapshot_member, weight_member
from app.project._zipread import Archive
from app.project.errors import FormatProblem
from tests.project.helpers import assert_same_project, read_members

LEVELS = (1, 6, 9)
# Sizes around 1, 2 and 16 MiB: the reader works in 1 MiB pieces, and a member that
# ends just past a piece boundary once came out "ending early".
OFFSETS = {
    2**20: (-258, -1, 0, 1, 2, 3, 7, 33, 100, 258),
    2**21: (-258, -1, 0, 1, 2, 3, 7, 33, 100, 258),
    2**24: (-1, 0, 1, 7),
}
_STEM = 300  # every size shares a compressed stem of (base - _STEM) zeros


def _zip_of_one(name: str, data: bytes, size: int, crc: int) -> bytes:
    """A one-member ZIP around already deflated ``data`` (``size`` bytes inflated)."""
    raw = name.encode()
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(data), size, len(raw), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc, len(data), size,
        len(raw), 0, 0, 0, 0, 0, 0,
    ) + raw  # fmt: skip
    start = len(local) + len(raw) + len(data)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), start, 0)
    return local + raw + data + central + eocd


@pytest.fixture(scope="module")
def zero_members() -> dict[tuple[int, int], bytes]:
    """``(size, level)`` → a ZIP holding ``size`` zeros deflated at ``level``.

    Built once: each level compresses one stem per base size and then, from a copy of
    the compressor, the few hundred bytes that make each size.
    """
    out = {}
    for base, offsets in OFFSETS.items():
        for level in LEVELS:
            head = zlib.compressobj(level, zlib.DEFLATED, -15)
            stem = head.compress(bytes(base - _STEM))
            crc = zlib.crc32(bytes(base - _STEM))
            for d in offsets:
                tail = head.copy()
                rest = bytes(_STEM + d)
                data = stem + tail.compress(rest) + tail.flush()
                out[base + d, level] = _zip_of_one("x", data, base + d, zlib.crc32(rest, crc))
    return out


def test_deflated_zeros_of_every_size_are_read(zero_members: dict[tuple[int, int], bytes]) -> None:
    for (size, level), archive in zero_members.items():
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:  # the standard reader agrees
            assert zf.getinfo("x").file_size == size
        with Archive(io.BytesIO(archive), len(archive)) as a:
            data = a.read_bytes("x", 2**25)
        assert len(data) == size and data.count(0) == size, (size, level)


def test_deflated_zeros_still_obey_the_declared_size(
    zero_members: dict[tuple[int, int], bytes],
) -> None:
    """The same streams declaring one byte less or more are refused, not read on."""
    archive = bytearray(zero_members[2**20 + 1, 6])
    at = archive.index(b"PK\x01\x02") + 24  # the central directory's uncompressed size
    for declared, why in ((2**20, "inflates past its declared size"), (2**20 + 2, "ends early")):
        archive[at : at + 4] = struct.pack("<L", declared)
        with (
            Archive(io.BytesIO(bytes(archive)), len(archive)) as a,
            pytest.raises(FormatProblem, match=why),
        ):
            a.read_bytes("x", 2**25)


@pytest.fixture(scope="module")
def zero_weights(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, bytes]]:
    """A trained RNN whose flat arrays (optimiser state, snapshots) are all zeros and
    1 MiB + 60 bytes long as .npy members; and the members of its saved file."""
    symbols = [f"s{i}" for i in range(23)]
    text = "".join(" ".join(symbols[i:] + symbols[:i][:2]) + "\n" for i in range(0, 23, 5))
    model = ModelConfig(kind="rnn", hidden_size=489, dtype="float32")
    project = Project.from_text(text, model=model, train=TrainConfig(batch_size=8), seed=3)
    trainer = project.make_trainer()
    list(trainer.run(1))
    project.capture(trainer)
    state = project.trainer_state
    assert state is not None
    for array in [*state.snapshot_weights, *state.optimizer_state.values()]:
        array[:] = 0
    path = tmp_path_factory.mktemp("zeros") / "p.lstmproj"
    save_project(project, path)
    members = read_members(path)
    assert len(members["snapshots/000001.npy"]) == 2**20 + 60
    return project, members


@pytest.mark.parametrize("level", LEVELS)
def test_project_with_zero_arrays_reopens_when_deflated(
    tmp_path: Path, zero_weights: tuple[Project, dict[str, bytes]], level: int
) -> None:
    """Re-zipped by another tool (every member deflated), the project still opens."""
    project, members = zero_weights
    path = tmp_path / "rezipped.lstmproj"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    loaded = load_project(path)
    assert_same_project(project, loaded)
    state = loaded.trainer_state
    assert state is not None and not np.any(state.snapshot_weights[-1])


def _eocd(count: int, directory: int, offset: int) -> bytes:
    return struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, directory, offset, 0)


def _zip64_end(count: int, directory: int, offset: int, record_at: int) -> bytes:
    """A ZIP64 end record, its locator and a classic end record that defers to them."""
    record = struct.pack(
        "<4sqhhLLqqqq", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, directory, offset
    )
    locator = struct.pack("<4sLqL", b"PK\x06\x07", 0, record_at, 1)
    return record + locator + _eocd(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)


def _refused_quickly(path: Path, match: str) -> None:
    """Refused in well under a second, without ever holding much memory."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ProjectFileError, match=match):
            load_project(path)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1 and peak < 2**20, (elapsed, peak)


@pytest.mark.skipif(os.name == "nt", reason="needs sparse files (NTFS fills the gap)")
@pytest.mark.parametrize(
    ("zip64", "directory", "match"),
    [
        (False, 2**31, "a ZIP directory of 2,147,483,648 bytes; a project's is at most "),
        (True, 2**31, "a ZIP directory of 2,147,483,648 bytes"),
        (True, -1, "a ZIP directory of -1 bytes"),  # zipfile would read(-1): the whole file
    ],
)
def test_huge_directory_claim_is_refused_before_reading_it(
    tmp_path: Path, zip64: bool, directory: int, match: str
) -> None:
    """A 3 GiB sparse file whose end record claims a 2 GiB directory just before it."""
    path = tmp_path / "sparse.lstmproj"
    size = 3 * 2**30
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        if zip64:
            end_at = size - 98
            end = _zip64_end(1, directory, end_at - max(directory, 0), end_at)
        else:
            end_at = size - 22
            end = _eocd(1, directory, end_at - directory)
        f.truncate(end_at)
        f.seek(end_at)
        f.write(end)
    assert path.stat().st_size == size
    _refused_quickly(path, match)


def test_directory_of_a_million_entries_is_refused_by_its_count(tmp_path: Path) -> None:
    """A real ZIP64 directory with 1,000,000 entries (all naming one empty member)."""
    count = 1_000_000
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, 0, 0, 0, 1, 0) + b"x"
    entry = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 33, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
    ) + b"x"  # fmt: skip
    path = tmp_path / "million.lstmproj"
    with path.open("wb") as f:
        f.write(local)
        block = entry * 10_000
        for _ in range(count // 10_000):
            f.write(block)
        directory = count * len(entry)
        f.write(_zip64_end(count, directory, len(local), len(local) + directory))
    _refused_quickly(path, "has 1,000,000 members; the limit is 2,048")


def test_directory_limit_leaves_room_for_every_project_member_name() -> None:
    longest = max(
        snapshot_member(MAX_COUNT, "rival/"),
        *(slot_member(slot, "rival/") for slot in ("m", "v", "velocity", "square_avg", "sum")),
        *(weight_member(name, "rival/") for name in ("Wx", "Wh", "b", "bhn", "Wy", "by")),
        key=len,
    )
    assert len(longest.encode()) <= _zipread.MAX_NAME_BYTES < 2 * len(longest)
    assert _zipread.max_directory_bytes() == _zipread.MAX_MEMBERS * (
        46 + _zipread.MAX_NAME_BYTES + _zipread.ENTRY_EXTRA_BYTES
    )


def test_every_loader_limit_is_documented_with_its_value() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "FORMAT.md").read_text("utf-8")
    limits = text.split("## Limits the loader enforces", 1)[1].split("\n## ", 1)[0]
    z = _zipread
    documented = [
        f"≤ {z.MAX_MEMBERS}",
        f"≤ {z.max_directory_bytes():,} bytes = {z.MAX_MEMBERS} × (46 + {z.MAX_NAME_BYTES} + "
        f"{z.ENTRY_EXTRA_BYTES})",
        f"≤ {z.MAX_JSON_BYTES // 2**20} MiB",
        f"≤ {z.MAX_TOTAL_BYTES // 2**30} GiB",
        f"≤ {z.MAX_RATIO} : 1",
        f"≤ {z.MAX_NPY_HEADER} bytes",
        f"expected bytes + {z.MAX_NPY_HEADER} + 16",
        f"≤ {_jsonio.MAX_INT_DIGITS} digits",
        f"nested ≤ {_jsonio.MAX_UI_DEPTH} levels",
        f"≤ {_jsonio.MAX_UI_VALUES:,} values",
        f"≤ {_jsonio.MAX_UI_BYTES // 1024} KiB as compact JSON",
        f"≤ {_jsonio.MAX_JSON_VALUES:,} JSON values in all",
        f"≤ {_trainer_doc.MAX_HISTORY:,} entries",
        f"≤ {_trainer_doc.MAX_SNAPSHOTS} per model",
        f"≤ {_trainer_doc.MAX_METRICS} metrics",
        f"1 … {config.MAX_VOCAB}",
        f"1 … {config.MAX_HIDDEN}",
        f"≤ {checks.MAX_TEXT_CHARS:,} characters",
        f"≤ {checks.MAX_TEXT_LINES:,} lines of any kind",
        f"≤ {checks.MAX_SEQUENCES:,} sequences",
        f"≤ {checks.MAX_TOTAL_TOKENS:,} symbols",
        f"2 … {checks.MAX_LINE_TOKENS:,} symbols per line",
        f"≤ {config.MAX_VOCAB} distinct symbols",
    ]
    assert _jsonio.MAX_COUNT == 2**53 - 1 and "≤ 2⁵³ − 1" in limits
    assert [d for d in documented if d not in limits] == []
