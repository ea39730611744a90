"""Frames (RGB arrays) written as an animated GIF (Pillow) or an MP4 (ffmpeg), never half.

Never imports Qt.  The frames come from an iterator, one at a time, so a 600-frame
animation never holds 600 full-colour images: a GIF keeps each frame as it will be
written (one byte a pixel), an MP4 passes each straight to ffmpeg.  Either file is
written to a temporary file in the target's folder and renamed over the target only
once it is complete: a failure or a stop leaves the old file (or none), never half a
new one.  Pillow is imported only here, when a GIF is written.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from app.cli.common import CliError

FFMPEG = "ffmpeg"
NO_FFMPEG = "MP4 needs ffmpeg, which was not found on PATH; write a .gif instead"
PALETTE_COLOURS = 255
"""Colours of the shared GIF palette (one entry is left for Pillow's transparency)."""
MP4_CRF = 18
"""x264 quality: visually lossless for plots and text, a few MB a minute at 1080p."""


def find_ffmpeg() -> str:
    """The ffmpeg program on PATH; CliError (one line) when there is none."""
    found = shutil.which(FFMPEG)
    if found is None:
        raise CliError(NO_FFMPEG)
    return found


def write_animation(
    path: Path,
    frames: Iterable[np.ndarray],
    fps: float,
    loop: bool = True,
    sample: np.ndarray | None = None,
) -> int:
    """Write ``frames`` (each ``(H, W, 3)`` uint8 RGB, all the same size) to ``path``:
    GIF or MP4 by its extension.  Returns how many frames were written.

    A GIF has one palette, made from the first frame and ``sample`` (say the last frame:
    an animation's colours are mostly in its first and last frames).

    Raises
    ------
    CliError
        For an MP4 without ffmpeg, or when ffmpeg fails.
    OSError
        When the file cannot be written.
    """
    if path.suffix.lower() == ".mp4":
        ffmpeg = find_ffmpeg()
        return _atomic(path, lambda fp, temp: _write_mp4(temp, frames, fps, ffmpeg))
    return _atomic(path, lambda fp, temp: _write_gif(fp, frames, fps, loop, sample))


def _atomic(path: Path, write: Callable[[BinaryIO, str], int]) -> int:
    """``write(file, its name)`` into a temporary file beside ``path``, then rename it to
    ``path``; the temporary file is removed on any failure."""
    with replaced_atomically(path) as temp, open(temp, "wb") as fp:
        return write(fp, temp)


@contextlib.contextmanager
def replaced_atomically(path: Path) -> Iterator[str]:
    """The name of a new, empty temporary file beside ``path`` (same extension) to write;
    renamed to ``path`` when the block ends, removed if it raises (Ctrl-C too)."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    except OSError as exc:  # (named after the file asked for, not the temporary one)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    os.close(fd)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def frame_ms(fps: float) -> int:
    """How long a frame shows, in ms, as GIF can store it (in hundredths of a second)."""
    return max(20, round(100 / fps) * 10)


def _write_gif(
    fp: BinaryIO,
    frames: Iterable[np.ndarray],
    fps: float,
    loop: bool,
    sample: np.ndarray | None,
) -> int:
    from PIL import GifImagePlugin, Image  # the format saved by name: no other plugin loads

    del GifImagePlugin  # (imported for the GIF writer it registers)
    palette: Any = None
    count = 0

    def quantised() -> Iterator[Image.Image]:
        """Every frame on one palette (plots on white: few colours, and one palette lets
        the writer store only what changed from frame to frame), not dithered (dots that
        change from frame to frame would flicker and cost bytes)."""
        nonlocal palette, count
        for rgb in frames:
            if palette is None:
                seen = rgb if sample is None else np.concatenate([rgb, sample])
                palette = Image.fromarray(np.ascontiguousarray(seen), "RGB").quantize(
                    PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE
                )
            count += 1
            image = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
            yield image.quantize(palette=palette, dither=Image.Dither.NONE)

    images = quantised()
    first = next(images, None)
    if first is None:
        raise CliError("there is nothing to animate: no frames")
    options: dict[str, Any] = {"duration": frame_ms(fps), "optimize": True}
    if loop:
        options["loop"] = 0  # for ever; without the key a GIF plays once
    first.save(fp, format="GIF", save_all=True, append_images=images, **options)
    return count


def _write_mp4(out: str, frames: Iterable[np.ndarray], fps: float, ffmpeg: str) -> int:
    """Raw RGB frames piped to ffmpeg, which writes H.264 (yuv420p: plays everywhere)."""
    iterator = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise CliError("there is nothing to animate: no frames")
    height, width = first.shape[:2]
    command = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{fps:g}",
        "-i", "-",
        # yuv420p needs even sides: pad one white pixel where a side is odd.
        "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", str(MP4_CRF),
        "-movflags", "+faststart", "-f", "mp4", out,
    ]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
        )
        assert process.stdin is not None
        count = 0
        try:
            for frame in itertools.chain([first], iterator):
                process.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).tobytes())
                count += 1
        except BrokenPipeError:
            pass  # ffmpeg stopped: its message says why
        except BaseException:
            process.kill()
            raise
        finally:
            with contextlib.suppress(OSError):  # (a broken pipe cannot flush)
                process.stdin.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()
            reason = said[-1] if said else f"exit code {code}"
            raise CliError(f"ffmpeg could not write the MP4: {reason}")
    return count
