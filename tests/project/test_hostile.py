"""Files built to hurt: pickles, bombs, lying sizes, unsafe names and wrong arrays."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.project import ProjectFileError, _zipread, load_project, save_project
from tests.project.helpers import (
    edit_json,
    make_project,
    npy_bytes,
    raw_zip,
    read_members,
    write_members,
)

UNPICKLED: list[str] = []


def _record(what: str) -> str:
    UNPICKLED.append(what)
    return what


class Payload:
    """Unpickling this calls ``_record``: proof that the loader ran code from the file."""

    def __reduce__(self) -> tuple[Callable[[str], str], tuple[str]]:
        return _record, ("pwned",)


def _replace(path: Path, name: str, data: bytes) -> None:
    write_members(path, read_members(path) | {name: data})


def _refused(path: Path, match: str) -> ProjectFileError:
    with pytest.raises(ProjectFileError, match=match) as info:
        load_project(path)
    return info.value


def test_pickled_objects_are_never_unpickled(trained: Path) -> None:
    payload = np.array([Payload(), Payload()], dtype=object)
    _replace(trained, "weights/Wx.npy", npy_bytes(payload, allow_pickle=True))
    _refused(trained, "'weights/Wx.npy' holds Python objects")
    assert UNPICKLED == []


@pytest.mark.parametrize(
    ("array", "match"),
    [
        (np.zeros((3, 4)), r"has shape \(3, 4\), expected \(3, 12\)"),
        (np.zeros((3, 12), np.float32), "has dtype '<f4', expected '<f8' \\(float64\\)"),
        (np.zeros((3, 12), ">f8"), "has dtype '>f8', expected '<f8'"),
        (np.asfortranarray(np.zeros((3, 12))), "Fortran order"),
        (np.zeros((3, 12), np.int64), "has dtype '<i8'"),
        (np.zeros(3, [("a", "<f8")]), "has dtype \"\\[\\('a', '<f8'\\)\\]\""),
    ],
)
def test_wrong_arrays(trained: Path, array: np.ndarray, match: str) -> None:
    _replace(trained, "weights/Wx.npy", npy_bytes(array))
    _refused(trained, match)


def _npy_header(shape: tuple[int, ...], version: int = 1, pad: int = 0) -> bytes:
    text = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}" + " " * pad + "\n"
    length = struct.pack("<H" if version == 1 else "<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + length + text.encode("latin1")


def test_absurd_shape_is_refused_before_allocating(trained: Path) -> None:
    _replace(trained, "weights/Wx.npy", _npy_header((10**12,)) + bytes(64))
    _refused(trained, r"has shape \(1000000000000,\), expected \(3, 12\)")


def test_oversized_npy_member_is_refused_before_reading(trained: Path) -> None:
    _replace(trained, "weights/Wx.npy", _npy_header((3, 12), 2, pad=8000) + bytes(288))
    _refused(trained, r"is 8,361 bytes, far more than a \(3, 12\) float64 array needs")


def test_huge_npy_header_length_is_refused_before_reading(trained: Path) -> None:
    _replace(
        trained, "weights/Wx.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 10**9) + bytes(300)
    )
    _refused(trained, "1,000,000,000-byte header; the limit is 4,096")


def test_npy_version_3_and_garbage_headers(trained: Path) -> None:
    _replace(trained, "weights/Wx.npy", b"\x93NUMPY\x03\x00" + bytes(300))
    _refused(trained, r"uses .npy version \(3, 0\)")
    _replace(trained, "weights/Wx.npy", b"\x93NUMPY\x01\x00\x10\x00" + b"(" * 16 + bytes(288))
    _refused(trained, "unreadable .npy header")
    _replace(trained, "weights/Wx.npy", b"PK" + bytes(300))
    _refused(trained, "not a NumPy .npy array")


def test_array_shorter_than_its_header_says(trained: Path) -> None:
    _replace(trained, "weights/Wx.npy", _npy_header((3, 12)) + bytes(100))
    _refused(trained, "does not match its own header")


def test_zip_bomb_json_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.lstmproj"
    spaces = b" " * 2**20
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("project.json", "w") as out,
    ):
        out.write(b"{}")  # then valid JSON whitespace: only the size check can stop it
        for _ in range(_zipread.MAX_JSON_BYTES // len(spaces)):
            out.write(spaces)
    assert path.stat().st_size < 2**20
    _refused(path, "project.json is 134,217,730 bytes; the limit is 134,217,728")


def test_member_claiming_an_impossible_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.lstmproj"
    path.write_bytes(raw_zip([("project.json", bytes(1000), zipfile.ZIP_DEFLATED, 2**31)]))
    _refused(path, "claims to expand from .* to 2,147,483,648 bytes")


def test_stored_member_with_two_sizes(tmp_path: Path) -> None:
    path = tmp_path / "bomb.lstmproj"
    path.write_bytes(raw_zip([("project.json", b"{}", zipfile.ZIP_STORED, 50)]))
    _refused(path, "claims to expand")


def test_total_size_limit(trained: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zipread, "MAX_TOTAL_BYTES", 4000)
    _refused(trained, "would unpack to .* bytes; the limit is 4,000")


def test_too_many_members(trained: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zipread, "MAX_MEMBERS", 5)
    _refused(trained, "members; the limit is 5")


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_member_whose_header_lies_about_its_size(tmp_path: Path, method: int) -> None:
    project = make_project()
    save_project(project, tmp_path / "p.lstmproj")
    body = read_members(tmp_path / "p.lstmproj")["project.json"]
    path = tmp_path / "liar.lstmproj"
    if method == zipfile.ZIP_DEFLATED:  # says 100 bytes, inflates to the whole document
        path.write_bytes(raw_zip([("project.json", body, method, 100)]))
        _refused(path, "'project.json' inflates past its declared size")
    # Says more than there is: the stream ends early, or (stored) the sizes disagree.
    path.write_bytes(raw_zip([("project.json", body, method, len(body) + 10)]))
    _refused(path, "ends early" if method == zipfile.ZIP_DEFLATED else "claims to expand")


def test_checksum_is_verified(tmp_path: Path) -> None:
    save_project(make_project(), tmp_path / "p.lstmproj")
    data = bytearray((tmp_path / "p.lstmproj").read_bytes())
    data[14] ^= 0xFF  # the CRC field of the first local header is not read; the central one is
    at = data.index(b"PK\x01\x02") + 16
    data[at] ^= 0xFF
    (tmp_path / "p.lstmproj").write_bytes(bytes(data))
    _refused(tmp_path / "p.lstmproj", "'project.json' fails its checksum")


@pytest.mark.parametrize(
    "name", ["../evil.npy", "/etc/passwd", "weights/../../x", "a\\b", "C:evil", "a//b", "./x"]
)
def test_unsafe_member_names(tmp_path: Path, name: str) -> None:
    path = tmp_path / "evil.lstmproj"
    path.write_bytes(raw_zip([("project.json", b"{}", 0, None), (name, b"x", 0, None)]))
    _refused(path, "unsafe name")


def test_duplicate_members(tmp_path: Path) -> None:
    save_project(make_project(), tmp_path / "p.lstmproj")
    body = read_members(tmp_path / "p.lstmproj")["project.json"]
    path = tmp_path / "dup.lstmproj"
    path.write_bytes(raw_zip([("project.json", body, 0, None), ("project.json", b"{}", 0, None)]))
    _refused(path, "contains the member 'project.json' twice")


def test_unsupported_compression(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("project.json", b"{}")
    _refused(path, "unsupported compression method")


def test_text_must_match_vocabulary(trained: Path) -> None:
    edit_json(trained, lambda d: d.update(text=d["text"] + "pizza pasta\n"))
    _refused(trained, "vocabulary does not match")
    edit_json(trained, lambda d: d.update(vocabulary=d["vocabulary"] + ["pasta"]))
    _refused(trained, "the text has 4 symbols but the model was built for 3")
    edit_json(trained, lambda d: d.update(text="pizza\n"))
    _refused(trained, "the text cannot be used: .*only one symbol")


def test_cursor_order_must_be_a_permutation(trained: Path) -> None:
    order = np.load(io.BytesIO(read_members(trained)["cursor/order.npy"]))
    _replace(trained, "cursor/order.npy", npy_bytes(np.zeros_like(order)))
    _refused(trained, "not an ordering of the training sequences")
