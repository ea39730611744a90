"""A seeded fuzzer over real project files: every outcome is a clean load or a
``ProjectFileError``, never a hang; and whatever loads can be saved and loaded again.

Each case starts from one of a few real saved projects and mutates it the ways a
hostile or damaged file differs: flipped bits, cut-off ends, ``project.json`` fields
rewritten (wrong types, huge or negative numbers, long or broken strings, deletions,
extra keys), ZIP tricks (duplicate or unsafe names, lying sizes and checksums, other
methods, extra or missing members) and ``.npy`` header tricks (dtype, shape, order,
version, header length).  The suite runs a fixed set of cases; ``-m slow`` runs
thousands more.
"""

from __future__ import annotations

import io
import json
import random
import signal
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.project import Project, ProjectFileError, load_project, save_project
from tests.project.helpers import (
    add_rival,
    assert_same_project,
    deadline,
    freeze_times,
    make_project,
    raw_zip,
    stop_after,
)

Members = dict[str, bytes]
CASE_SECONDS: float = 20  # far more than any case takes; a case past it hangs
FAST_CASES = 700
SLOW_CASES = 6000


def _stopped_mid_epoch(project: Project, epochs: int) -> Project:
    trainer = project.make_trainer()
    list(trainer.run(epochs))
    stop_after(trainer, 1)
    list(trainer.run(1))
    project.capture(trainer)
    freeze_times(project)
    return project


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> list[Members]:
    return original_members(tmp_path_factory.mktemp("originals"))


def original_members(folder: Path) -> list[Members]:
    """The members of a few real saved projects (the same bytes on every run)."""
    untrained = make_project()
    lstm = _stopped_mid_epoch(make_project(text="a b\nb a\nb b a\na a b\n", batch_size=1), 2)
    add_rival(lstm, epochs=1)
    state = lstm.rival.trainer_state if lstm.rival else None
    assert state is not None
    state.total_elapsed = 0.0
    for entry in state.history:
        entry |= {"elapsed": 0.0, "total_elapsed": 0.0, "updates_per_second": 0.0}
    gru = _stopped_mid_epoch(make_project(kind="gru", dtype="float32", optimizer="rmsprop"), 1)
    out = []
    for k, project in enumerate((untrained, lstm, gru)):
        save_project(project, folder / f"{k}.lstmproj")
        with zipfile.ZipFile(folder / f"{k}.lstmproj") as zf:
            out.append({info.filename: zf.read(info) for info in zf.infolist()})
    assert {"cursor/order.npy", "rival/snapshots/000001.npy"} <= set(out[1])
    return out


# -- mutations ---------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, -0.0, 1e308, 2**31, 2**31 - 1, 2**53 - 1, 2**53, 2**63,
    10**39, 10**41, "", "x", "NaN", "Infinity", "-Infinity", "\ud800", "a\x00b", "é" * 300,
    "pizza " * 5000, [], {}, [1, [2, [3]]], {"a": {"b": None}}, float("nan"),
]  # fmt: skip


def _pack(rng: random.Random, members: Members) -> bytes:
    method = rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED))
    return raw_zip([(name, data, method, None) for name, data in members.items()])


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for k, item in enumerate(value[:3]):
            yield from _paths(item, (*here, k))


def _json_field(rng: random.Random, members: Members) -> tuple[str, bytes]:
    doc = json.loads(members["project.json"])
    path = rng.choice([p for p in _paths(doc) if p])
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    what = rng.randrange(4)
    if what == 0 and isinstance(parent, dict):
        del parent[key]
        how = "deleted"
    elif what == 1 and isinstance(parent, dict):
        parent["extra_" + str(key)] = rng.choice(ODD_VALUES)
        how = "extra key next to it"
    elif what == 2 and isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
        parent[key] = rng.choice((-1, 2, 10, 2**20)) * parent[key] + rng.choice((0, 1, -1))
        how = f"scaled to {parent[key]!r}"[:60]
    else:
        parent[key] = rng.choice(ODD_VALUES)
        how = f"set to {parent[key]!r}"[:60]
    text = json.dumps(doc, indent=rng.choice((None, 1)))  # NaN stays a NaN literal
    where = ".".join(map(str, path))
    return f"json {where} {how}", _pack(rng, members | {"project.json": text.encode()})


def _npy_header(rng: random.Random, members: Members) -> tuple[str, bytes]:
    arrays = [name for name in members if name.endswith(".npy")]
    if not arrays:
        return _json_field(rng, members)
    name = rng.choice(arrays)
    data = bytearray(members[name])
    (length,) = struct.unpack_from("<H", data, 8)
    header = data[10 : 10 + length].decode("latin1")
    what = rng.randrange(6)
    if what == 0:
        descr = rng.choice(("<f4", ">f8", "<f8", "|O", "<i8", "<c16", "|b1", "[('a', '<f8')]"))
        header = header.replace(header.split("'descr': ")[1].split(",")[0], repr(descr))
        how = f"dtype {descr}"
    elif what == 1:
        shape = rng.choice(("()", "(0,)", "(-1,)", "(10**12,)", "(2, 2, 2)", "(1, 1)", "(3,)"))
        start = header.index("'shape': ") + len("'shape': ")
        header = header[:start] + shape + header[header.index(")", start) + 1 :]
        how = f"shape {shape}"
    elif what == 2:
        header = header.replace("False", "True")
        how = "fortran order"
    elif what == 3:
        data[6] = rng.choice((0, 2, 3, 255))
        how = f"version {data[6]}"
    elif what == 4:
        struct.pack_into("<H", data, 8, rng.choice((0, 1, length - 1, length + 1, 65535)))
        how = "header length"
    else:
        header = rng.choice(("{", "[1, 2]", "{'descr': '<f8'}", "__import__('os')"))
        how = f"header {header!r}"
    if what not in (3, 4):
        body = data[10 + length :]
        text = (header.rstrip("\n ") + " ").ljust(length - 1) + "\n"
        data = bytearray(data[:8] + struct.pack("<H", len(text)) + text.encode("latin1") + body)
    return f"npy {name} {how}", _pack(rng, members | {name: bytes(data)})


def _zip_trick(rng: random.Random, members: Members) -> tuple[str, bytes]:
    names = list(members)
    name = rng.choice(names)
    entries = [(n, d, rng.choice((0, 8)), None) for n, d in members.items()]
    k = names.index(name)
    what = rng.randrange(8)
    if what == 0:
        entries.insert(rng.randrange(len(entries) + 1), entries[k])
        how = "duplicated"
    elif what == 1:
        size = len(members[name])
        declared = rng.choice((0, size - 1, size + 1, size * 2000, 2**32 - 1))
        entries[k] = (name, members[name], entries[k][2], max(declared, 0))
        how = f"declares {declared} bytes"
    elif what == 2:
        method = rng.choice((1, 6, 9, 12, 14, 93, 99))
        entries[k] = (name, members[name], method, None)
        how = f"method {method}"
    elif what == 3:
        extra = rng.choice(("notes.txt", "weights/", "weights/extra.npy", "snapshots/9.npy"))
        entries.insert(rng.randrange(len(entries) + 1), (extra, b"", 0, None))
        how = f"extra member {extra}"
    elif what == 4:
        other = rng.choice(("../x", "/abs", "a\\b", "C:x", "", "./project.json", name.upper()))
        entries[k] = (other, members[name], entries[k][2], None)
        how = f"renamed {other!r}"
    elif what == 5:
        del entries[k]
        how = "removed"
    elif what == 6:
        rng.shuffle(entries)
        how = "reordered"
    else:
        archive = bytearray(raw_zip(entries))
        at = archive.index(b"PK\x01\x02")  # the first directory entry's CRC
        archive[at + 16] ^= 1 << rng.randrange(8)
        return "zip first CRC flipped", bytes(archive)
    return f"zip {name} {how}", raw_zip(entries)


def _bytes(rng: random.Random, members: Members) -> tuple[str, bytes]:
    data = bytearray(_pack(rng, members))
    what = rng.randrange(3)
    if what == 0:
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return "bit flips", bytes(data)
    cut = rng.randrange(len(data))
    if what == 1:
        return f"cut at {cut}", bytes(data[:cut])
    end = min(len(data), cut + rng.randint(1, 64))
    return f"bytes {cut}:{end} removed", bytes(data[:cut] + data[end:])


MUTATIONS: list[Callable[[random.Random, Members], tuple[str, bytes]]] = [
    _bytes, _json_field, _json_field, _npy_header, _zip_trick,
]  # fmt: skip


# -- the property ------------------------------------------------------------------------


def _check_case(folder: Path, data: bytes) -> str:
    """One mutated file through load, and save + load when it loads: its outcome, or
    an exception saying what went wrong."""
    path, again = folder / "case.lstmproj", folder / "again.lstmproj"
    path.write_bytes(data)
    try:
        project = load_project(path)
    except ProjectFileError as e:
        if not str(e).startswith(f"{path}: ") or "\n" in e.reason:
            raise AssertionError(f"a badly formed message: {e}") from None
        return "refused"
    try:
        save_project(project, again)
    except ProjectFileError as e:
        raise AssertionError(f"loads but cannot be saved: {e.reason}") from None
    assert_same_project(project, load_project(again))
    return "loaded"


def _fuzz(folder: Path, originals: list[Members], seed: int, cases: int) -> dict[str, int]:
    """Run the cases; fail listing every case that broke the property."""
    rng = random.Random(seed)
    outcomes = {"loaded": 0, "refused": 0}
    failures = []
    for k in range(cases):
        which = rng.randrange(len(originals))
        mutate = rng.choice(MUTATIONS)
        what, data = mutate(rng, originals[which])
        case = f"seed {seed}, case {k}, project {which}: {what}"
        try:
            with deadline(CASE_SECONDS):
                outcomes[_check_case(folder, data)] += 1
        except Exception as e:  # anything but a clean load or a ProjectFileError
            failures.append(f"{case}: {type(e).__name__}: {str(e)[:300]}")
    summary = f"{len(failures)} of {cases} cases failed:\n" + "\n".join(failures)
    assert not failures, summary
    return outcomes


def test_fuzzed_project_files_load_cleanly_or_are_refused(
    tmp_path: Path, originals: list[Members]
) -> None:
    outcomes = _fuzz(tmp_path, originals, seed=20240611, cases=FAST_CASES)
    assert outcomes["loaded"] > FAST_CASES // 20 and outcomes["refused"] > FAST_CASES // 2


@pytest.mark.slow
def test_fuzzed_project_files_thousands_of_cases(
    tmp_path: Path, originals: list[Members], request: pytest.FixtureRequest
) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long run: select it with -m slow")
    outcomes = _fuzz(tmp_path, originals, seed=11, cases=SLOW_CASES)
    assert outcomes["loaded"] > 0 and outcomes["refused"] > 0


def test_the_mutations_cover_every_kind(originals: list[Members]) -> None:
    """Each mutation changes the file, and the JSON ones keep it a readable ZIP."""
    rng = random.Random(5)
    for mutate in MUTATIONS:
        for members in originals:
            what, data = mutate(rng, members)
            assert data != _pack(random.Random(0), members), what
    crc = zlib.crc32(originals[0]["project.json"])
    _, data = _json_field(rng, originals[0])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zlib.crc32(zf.read("project.json")) != crc


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs an interval timer")
def test_a_hanging_case_is_reported_not_waited_for(
    tmp_path: Path, originals: list[Members], monkeypatch: pytest.MonkeyPatch
) -> None:
    def hang(path: object) -> None:
        time.sleep(60)

    monkeypatch.setattr(sys.modules[__name__], "load_project", hang)
    monkeypatch.setattr(sys.modules[__name__], "CASE_SECONDS", 0.2)
    with pytest.raises(AssertionError, match=r"1 of 1 cases failed:\n.*Hung: still running"):
        _fuzz(tmp_path, originals, seed=1, cases=1)
