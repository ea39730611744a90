"""Animations written: a GIF read back frame by frame, an MP4 through a stand-in ffmpeg,
and never half a file (no Qt)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.cli.common import CliError
from app.cli.figure import frame_subset
from app.cli.movie import NO_FFMPEG, frame_ms, write_animation

W, H = 40, 30


def frames(n: int) -> list[np.ndarray]:
    """White frames with a square moving right, in a colour of its own per frame."""
    out = []
    for k in range(n):
        rgb = np.full((H, W, 3), 255, np.uint8)
        rgb[10:20, 4 * k : 4 * k + 8] = (40 * k, 100, 255 - 40 * k)
        out.append(rgb)
    return out


def read_gif(path: Path) -> tuple[list[np.ndarray], dict[str, object]]:
    with Image.open(path) as im:
        info = dict(im.info)
        shown = []
        for i in range(im.n_frames):
            im.seek(i)
            shown.append(np.asarray(im.convert("RGB")))
    return shown, info


@pytest.mark.parametrize("loop", [True, False])
def test_a_gif_holds_every_frame_as_drawn(tmp_path: Path, loop: bool) -> None:
    out = tmp_path / "moving.gif"
    drawn = frames(5)
    # One palette for all frames: from the first and the sample (here, all the others).
    sample = np.concatenate(drawn[1:])
    assert write_animation(out, iter(drawn), fps=4, loop=loop, sample=sample) == 5
    shown, info = read_gif(out)
    assert len(shown) == 5
    for k, (a, b) in enumerate(zip(drawn, shown, strict=True)):
        assert np.abs(a.astype(int) - b).max() <= 8, k  # six colours: (near) exact
    assert info["duration"] == 250
    assert ("loop" in info) == loop  # no loop entry: played once
    assert [p.name for p in tmp_path.iterdir()] == ["moving.gif"]  # no temporary left


def test_frame_durations_are_what_gif_can_store() -> None:
    assert frame_ms(4) == 250
    assert frame_ms(30) == 30  # hundredths of a second
    assert frame_ms(0.5) == 2000
    assert frame_ms(100) == 20  # browsers slow anything faster down


def test_a_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "replay.gif"
    out.write_bytes(b"the old animation")

    def failing() -> Iterator[np.ndarray]:
        yield from frames(2)
        raise RuntimeError("drawing failed")

    with pytest.raises(RuntimeError, match="drawing failed"):
        write_animation(out, failing(), fps=4)
    assert out.read_bytes() == b"the old animation"
    assert [p.name for p in tmp_path.iterdir()] == ["replay.gif"]
    with pytest.raises(CliError, match="no frames"):
        write_animation(tmp_path / "empty.gif", iter([]), fps=4)
    assert [p.name for p in tmp_path.iterdir()] == ["replay.gif"]


def fake_ffmpeg(folder: Path, script: str) -> None:
    path = folder / "ffmpeg"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_an_mp4_needs_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CliError) as raised:
        write_animation(tmp_path / "replay.mp4", iter(frames(2)), fps=4)
    assert str(raised.value) == NO_FFMPEG
    assert not list(tmp_path.iterdir())


def test_an_mp4_is_piped_to_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in keeps its arguments and writes the raw frames it is sent as the file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_ffmpeg(bin_dir, f'echo "$@" > {tmp_path}/args\nfor last; do :; done\ncat > "$last"')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    out = tmp_path / "replay.mp4"
    drawn = frames(3)
    assert write_animation(out, iter(drawn), fps=2.5) == 3
    assert out.read_bytes() == b"".join(f.tobytes() for f in drawn)
    args = (tmp_path / "args").read_text().split()
    assert args[args.index("-s") + 1] == f"{W}x{H}" and args[args.index("-r") + 1] == "2.5"
    assert "libx264" in args and "yuv420p" in args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["args", "bin", "replay.mp4"]


def test_ffmpeg_failing_is_one_line_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ffmpeg(
        tmp_path,
        "cat > /dev/null\necho 'noise' >&2\necho \"Unknown encoder 'libx264'\" >&2\nexit 1",
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CliError) as raised:
        write_animation(tmp_path / "replay.mp4", iter(frames(2)), fps=4)
    assert str(raised.value) == "ffmpeg could not write the MP4: Unknown encoder 'libx264'"
    assert [p.name for p in tmp_path.iterdir()] == ["ffmpeg"]


def test_frames_are_thinned_evenly_keeping_the_first_and_last() -> None:
    assert frame_subset(5, 100) == [0, 1, 2, 3, 4]
    assert frame_subset(61, 5) == [0, 15, 30, 45, 60]
    picked = frame_subset(1000, 100)
    assert len(picked) == 100 and picked[0] == 0 and picked[-1] == 999
    assert len(set(np.diff(picked))) <= 2  # evenly: steps of 10 or 11
