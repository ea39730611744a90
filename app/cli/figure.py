"""``figure``: one view of a saved project drawn to a PNG or SVG still, or animated to a
GIF (or an MP4, where ffmpeg is installed), without a window.

Never imports Qt.  Everything that can be checked without drawing is checked here (the
file names, the size, the view, the sequence, the stored epochs, the frames), so bad
input is one ``error:`` line before Qt starts; the drawing itself is
:mod:`app.ui.shell.figure` (stills) and :mod:`app.ui.shell.animation` (animations),
imported only when there is something to draw.
"""

from __future__ import annotations

import argparse
import bisect
import importlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from app.cli.common import EXIT_OK, CliError, check_output_path, note, open_project
from app.cli.movie import find_ffmpeg
from app.project import Project

VIEWS = ("train", "compare", "cell", "versus", "generate", "state-map")
STILLS = (".png", ".svg")
ANIMATIONS = (".gif", ".mp4")
DEFAULT_FPS = 4.0
MIN_FPS, MAX_FPS = 0.5, 30.0
DEFAULT_FRAMES = 100
MAX_FRAMES = 600
"""Frames an animation may have at most (``--frames``): 600 are 2½ minutes at 4 a second."""
MAX_GIF_PIXELS = 400_000_000
"""Pixels of all a GIF's frames together: Pillow holds every frame (a byte a pixel) until
the file is written, so 400 M is ~400 MB — 190 frames at 1920x1080, 430 at 1280x720."""
ANIMATED = {
    "train": "epochs",
    "compare": "epochs",
    "versus": "epochs",
    "cell": "steps",
    "state-map": "steps",
    "generate": "symbols",
}
"""What an animation of each view steps through, one frame each."""
DEFAULT_SIZE = "1920x1080"
MIN_SIDE, MAX_SIDE = 200, 8000
"""Output pixels per side: below ~200 no view has room; past 8000 an image is ~250 MB."""
MIN_SCALE, MAX_SCALE = 0.5, 4.0
MIN_LOGICAL = (480, 320)
"""The smallest layout (``size / scale``, logical pixels) a view is drawn at."""

EPOCH_VIEWS = ("cell", "generate", "state-map")
"""The views that show one chosen epoch (``--epoch``); compare shows two."""


@dataclass(frozen=True)
class FigureOptions:
    """What to draw, checked: the 0-based sequence, stored epochs, the 0-based step."""

    view: str
    width: int
    height: int
    scale: float
    sequence: int | None = None
    epoch: int | None = None
    epoch_a: int | None = None
    epoch_b: int | None = None
    step: int | None = None
    fps: float = DEFAULT_FPS
    frames: int = DEFAULT_FRAMES
    loop: bool = True
    presentation: bool = False

    @property
    def logical_size(self) -> tuple[int, int]:
        """The size, in logical pixels, the view is laid out at."""
        return round(self.width / self.scale), round(self.height / self.scale)


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` → (1920, 1080), each side within the limits, else CliError."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[xX×]\s*(\d{1,6})\s*", text)
    if match is None:
        raise CliError(f"--size must be WIDTHxHEIGHT in pixels, e.g. {DEFAULT_SIZE}; got {text!r}")
    width, height = int(match[1]), int(match[2])
    for side in (width, height):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise CliError(
                f"--size {width}x{height}: each side must be between {MIN_SIDE} and "
                f"{MAX_SIDE} pixels"
            )
    return width, height


def stored_epochs(project: Project) -> list[int]:
    """The epochs whose weights the project holds (epoch 0 alone when untrained)."""
    state = project.trainer_state
    return sorted(set(state.snapshot_epochs)) if state is not None else [0]


def check_epoch(flag: str, epoch: int, stored: list[int]) -> int:
    """``epoch`` if the project stores it, else CliError naming the nearest stored ones."""
    if epoch in stored:
        return epoch
    i = bisect.bisect_left(stored, epoch)
    near = sorted(set(stored[max(0, i - 1) : i + 1]))
    listed = " or ".join(f"{e:,}" for e in near)
    return_hint = (
        f"the nearest stored are {listed}" if len(near) > 1 else f"the nearest is {listed}"
    )
    raise CliError(
        f"{flag} {epoch:,}: the project stores no weights for that epoch; {return_hint} "
        f"({len(stored):,} stored, {stored[0]:,} to {stored[-1]:,})"
    )


def figure_options(args: argparse.Namespace, project: Project, kind: str = ".png") -> FigureOptions:
    """The flags checked against each other, against OUT's ``kind`` (its extension) and
    against the project (CliError if not)."""
    width, height = parse_size(args.size)
    view, scale = args.view, args.scale
    animated = _check_animation_flags(args, kind, width * height)
    lw, lh = round(width / scale), round(height / scale)
    if lw < MIN_LOGICAL[0] or lh < MIN_LOGICAL[1]:
        raise CliError(
            f"--size {width}x{height} at --scale {scale:g} lays the view out at {lw}x{lh}, "
            f"smaller than the {MIN_LOGICAL[0]}x{MIN_LOGICAL[1]} it needs; "
            "give a bigger size or a smaller scale"
        )
    _refuse_unused(args, view)
    sequences = project.data().n_sequences
    sequence = None
    if args.sequence is not None:
        if sequences == 0:
            raise CliError("--sequence: the project's text has no sequences")
        if not 1 <= args.sequence <= sequences:
            raise CliError(
                f"--sequence {args.sequence}: the project has sequences 1 to {sequences}"
            )
        sequence = args.sequence - 1
    stored = stored_epochs(project)
    epoch = None if args.epoch is None else check_epoch("--epoch", args.epoch, stored)
    epoch_a = None if args.epoch_a is None else check_epoch("--epoch-a", args.epoch_a, stored)
    epoch_b = None if args.epoch_b is None else check_epoch("--epoch-b", args.epoch_b, stored)
    step = None if args.step is None else args.step - 1
    options = FigureOptions(view, width, height, scale, sequence, epoch, epoch_a, epoch_b, step)
    options = replace(options, presentation=bool(getattr(args, "presentation", False)))
    if animated:
        loop = True if args.loop is None else args.loop
        fps = DEFAULT_FPS if args.fps is None else args.fps
        frames = DEFAULT_FRAMES if args.frames is None else args.frames
        options = replace(options, fps=fps, frames=frames, loop=loop)
    return options


def _check_animation_flags(args: argparse.Namespace, kind: str, pixels: int) -> bool:
    """True for an animation; the flags only animations take are refused on a still, and
    the one only a still takes (the cell's step) on an animation."""
    animated = kind in ANIMATIONS
    if not animated:
        for flag, value in (("--fps", args.fps), ("--frames", args.frames)):
            if value is not None:
                raise CliError(f"{flag} is for animations (.gif, .mp4), not a {kind} still")
        if args.loop is not None:
            raise CliError(f"--loop and --no-loop are for .gif animations, not a {kind} still")
        return False
    if args.loop is not None and kind != ".gif":
        raise CliError("--loop and --no-loop are for .gif animations (an MP4 player loops "
                       "by its own setting)")  # fmt: skip
    if args.step is not None:
        raise CliError("--step picks the time step of a still; an animation of the cell "
                       "view steps through every time step")  # fmt: skip
    if args.epoch_b is not None:
        raise CliError("--epoch-b picks B for a still; an animation of the compare view "
                       "moves B through every stored epoch (--epoch-a sets A)")  # fmt: skip
    frames = DEFAULT_FRAMES if args.frames is None else args.frames
    if kind == ".gif" and frames * pixels > MAX_GIF_PIXELS:
        most = max(MAX_GIF_PIXELS // pixels, 0)
        raise CliError(
            f"--frames {frames} at --size {args.size.strip()} is {frames * pixels / 1e6:,.0f} "
            f"million pixels, more than a GIF may hold ({MAX_GIF_PIXELS / 1e6:,.0f} million): "
            f"at this size give --frames {most} or fewer, or a smaller --size"
        )
    return True


def _refuse_unused(args: argparse.Namespace, view: str) -> None:
    """A flag the view does not use is refused, not silently ignored."""
    if args.epoch is not None and view not in EPOCH_VIEWS:
        hint = " (use --epoch-a and --epoch-b)" if view == "compare" else ""
        raise CliError(f"--epoch is for the views {', '.join(EPOCH_VIEWS)}, not {view}{hint}")
    if (args.epoch_a is not None or args.epoch_b is not None) and view != "compare":
        raise CliError(f"--epoch-a and --epoch-b are for the compare view, not {view}")
    if args.step is not None and view != "cell":
        raise CliError(f"--step is for the cell view, not {view}")
    if args.sequence is not None and view in ("generate", "state-map"):
        raise CliError(f"--sequence is not used by the {view} view")


def check_figure_path(name: str) -> Path:
    """OUT's extension picks the kind; a folder that does not exist is refused, and so is
    an MP4 without ffmpeg to encode it."""
    suffix = Path(name).suffix.lower()
    if suffix not in STILLS + ANIMATIONS:
        given = f"not {suffix}" if suffix else "it has none"
        raise CliError(
            f"{name}: give OUT the extension .png or .svg (a still image) or .gif or .mp4 "
            f"(an animation); {given}"
        )
    out = check_output_path(name, force=True)
    if suffix == ".mp4":
        find_ffmpeg()
    return out


def frame_subset(count: int, most: int) -> list[int]:
    """Indices of at most ``most`` of ``count`` frames, evenly spread, the first and the
    last always among them (all of them when they are few enough)."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def cmd_figure(args: argparse.Namespace) -> int:
    out = check_figure_path(args.out)
    project = open_project(args.project)
    options = figure_options(args, project, out.suffix.lower())
    animated = out.suffix.lower() in ANIMATIONS
    # Qt only once there is something to draw, by name: the CLI layer never imports the
    # window's package (import-linter), and works without Qt (as ``app/__main__`` does).
    try:
        drawing = importlib.import_module(
            "app.ui.shell.animation" if animated else "app.ui.shell.figure"
        )
    except ImportError as exc:
        raise CliError(
            f"figures need the window's libraries (Qt), which cannot load: {exc}"
        ) from None
    if animated:
        written = drawing.render_animation(project, out, options)
        if written.thinned:
            note(written.describe())
    else:
        drawing.render_figure(project, out, options)
    return EXIT_OK
