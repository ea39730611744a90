"""The CLI's argument parser: commands, flags, help texts and value checks.

Never imports Qt.  Flag values are checked here, as they are parsed, against the
engine's own config limits, so a bad value is reported with the flag's name and no
file is ever touched.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NoReturn

from app import __version__
from app.cli.common import PROG, CliError
from app.cli.export import TARGETS
from app.cli.figure import (
    DEFAULT_FPS,
    DEFAULT_FRAMES,
    DEFAULT_SIZE,
    MAX_FPS,
    MAX_FRAMES,
    MAX_SCALE,
    MIN_FPS,
    MIN_SCALE,
    VIEWS,
)
from app.cli.train import MAX_EPOCHS
from app.data import DEFAULT_STREAM_WINDOW, SEQUENCE_MODES
from app.engine.config import DTYPES, MODEL_KINDS, OPTIMIZERS, ConfigError, ModelConfig, TrainConfig
from app.project.project import DEFAULT_SEED

MAX_WINDOW = 100_000
"""The longest truncation window ``new --window`` takes (steps)."""

COMMANDS = ("new", "train", "predict", "evaluate", "info", "presets", "figure", "export")

EPILOG = """\
exit codes:
  0    success
  1    training stopped because the loss became NaN or infinite (the last good
       weights are saved), or an internal error (please report it)
  2    bad input: a missing or broken file, a bad setting, an unknown symbol;
       nothing is written
  130  training interrupted with Ctrl-C; what was learned so far is saved

examples:
  lstm-playground presets
  lstm-playground new dinner.lstmproj --preset dinner
  lstm-playground train dinner.lstmproj
  lstm-playground predict dinner.lstmproj --prefix "pizza sushi" --generate 6
  lstm-playground figure dinner.lstmproj cell.png --view cell --size 1920x1080 --scale 1.5
  lstm-playground figure dinner.lstmproj replay.gif --view train --size 1280x720
  lstm-playground export dinner.lstmproj dinner-torch --to pytorch
"""


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line, like every other error here."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def _number(kind: type[int] | type[float], text: str) -> Any:
    try:
        value = kind(text)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number in ``lo … hi``."""

    def parse(text: str) -> int:
        value: int = _number(int, text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}, got {value}")
        return value

    return parse


def float_in(lo: float, hi: float) -> Callable[[str], float]:
    """An argparse type: a finite number in ``[lo, hi]``."""

    def parse(text: str) -> float:
        value: float = _number(float, text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo:g} and {hi:g}, got {value:g}")
        return value

    return parse


def setting(config: ModelConfig | TrainConfig, name: str) -> Callable[[str], Any]:
    """An argparse type checked by the engine's own config, so the limits live in one place."""
    kind = type(getattr(config, name))

    def parse(text: str) -> Any:
        value = _number(kind, text)
        try:
            replace(config, **{name: value})
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Train recurrent networks (LSTM, RNN, GRU) on symbol sequences without\n"
        "the window: create a project, train it, and ask it what comes next.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    model, train = ModelConfig(), TrainConfig()
    json_help = "print machine-readable JSON on stdout instead of text"

    p = sub.add_parser(
        "new",
        help="create a project from a preset or your own text",
        description="Create a project file from a preset or from a text file with one "
        "sequence per line. A preset's recommended settings are the defaults (the numbers "
        "in brackets are the defaults for your own text); any flag overrides them. The "
        "project starts untrained: its seed rebuilds the same initial weights every time.",
    )
    p.add_argument("out", metavar="OUT", help="the project file to write (e.g. dinner.lstmproj)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--preset", metavar="NAME", help="start from a preset (see 'presets')")
    source.add_argument("--text-file", metavar="F", help="your text: one sequence per line")
    p.add_argument(
        "--tokens",
        metavar="words|chars|sep:X",
        help="how a line becomes symbols: words, single characters, or split on X (words)",
    )
    p.add_argument(
        "--model",
        choices=MODEL_KINDS,
        help=f"lstm (gated memory), rnn (plain, short memory) or gru ({model.kind})",
    )
    p.add_argument(
        "--hidden",
        type=setting(model, "hidden_size"),
        metavar="N",
        help=f"hidden size: how many numbers the memory holds ({model.hidden_size})",
    )
    p.add_argument(
        "--seed",
        type=int_in(0, 2**32 - 1),
        metavar="N",
        help=f"random seed for the initial weights and the order of the sequences ({DEFAULT_SEED})",
    )
    p.add_argument(
        "--optimizer", choices=OPTIMIZERS, help=f"how weights are updated ({train.optimizer})"
    )
    p.add_argument(
        "--lr",
        type=setting(train, "learning_rate"),
        metavar="X",
        help=f"learning rate: the size of each update ({train.learning_rate:g})",
    )
    p.add_argument(
        "--batch-size",
        type=setting(train, "batch_size"),
        metavar="N",
        help=f"sequences per update ({train.batch_size})",
    )
    p.add_argument(
        "--clip",
        type=setting(train, "clip_norm"),
        metavar="X",
        help=f"clip the gradient norm at X so no update explodes; 0 = off ({train.clip_norm:g})",
    )
    p.add_argument(
        "--validation-split",
        type=setting(train, "validation_split"),
        metavar="F",
        help="fraction of the sequences held out to check generalisation; 0 = none (0)",
    )
    p.add_argument(
        "--sequences",
        choices=SEQUENCE_MODES,
        help="lines: one sequence per line, each at least two symbols; stream: the whole "
        "text is one sequence, each line break a symbol (shown ⏎), cut into --batch-size "
        "streams trained in windows of --window steps with the memory carried from window "
        "to window (lines, or the preset's)",
    )
    p.add_argument(
        "--window",
        type=int_in(0, MAX_WINDOW),
        metavar="W",
        help="truncate back-propagation through time to windows of W steps; 0 = whole "
        f"lines (lines: 0; stream: {DEFAULT_STREAM_WINDOW}, at least 1)",
    )
    p.add_argument("--dtype", choices=DTYPES, help=f"number precision ({model.dtype})")
    p.add_argument(
        "--clamp",
        action="append",
        metavar="GATE=V",
        help="train with a gate held at V (0…1) for every unit, e.g. forget=1 (the 1997 "
        "LSTM, no forget gate) or select=1 (no output gating); repeat it or use commas. "
        "Gates: forget, ignore/input, select/output, possibilities/candidate (LSTM); "
        "reset, update, candidate (GRU). Saved in the project (none)",
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    p = sub.add_parser(
        "train",
        help="train a project and save it",
        description="Train for more epochs (one epoch = one pass over every training "
        "sequence) and save the project. Ctrl-C stops after the current update and "
        "saves what was learned; running train again continues exactly from there.",
    )
    p.add_argument("project", metavar="PROJECT", help="the project file")
    p.add_argument(
        "--epochs",
        type=int_in(1, MAX_EPOCHS),
        metavar="N",
        help="how many more epochs (default: the preset's recommended number, else 100)",
    )
    p.add_argument(
        "--lr",
        type=setting(train, "learning_rate"),
        metavar="X",
        help="change the learning rate from now on (saved in the project)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per epoch (JSON Lines), then a summary; no progress "
        "bar. An epoch longer than half a second is also reported while it runs: "
        '{"event": "progress", "epoch", "updates", "updates_in_epoch", "symbols", '
        '"symbols_in_epoch", "train_loss", "train_accuracy", "elapsed"} about twice a '
        "second (loss and accuracy so far)",
    )

    p = sub.add_parser(
        "predict",
        help="show what the network expects next",
        description="Feed a prefix through the trained network and show, after each "
        "symbol, the most likely next symbols; optionally let it continue on its own, "
        "each prediction fed back in as the next input.",
    )
    p.add_argument("project", metavar="PROJECT", help="the project file")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--prefix", help='the symbols to start from, e.g. "pizza sushi"')
    given.add_argument("--text-file", metavar="F", help="several prefixes, one per line")
    p.add_argument(
        "--top",
        type=int_in(1, 4096),
        default=3,
        metavar="K",
        help="how many likely next symbols to show (3)",
    )
    p.add_argument(
        "--generate",
        type=int_in(0, 100_000),
        default=0,
        metavar="N",
        help="then let the network go on by N symbols, each prediction fed back in",
    )
    p.add_argument(
        "--temperature",
        type=float_in(0, 100),
        default=0.0,
        metavar="T",
        help="0 = always the most likely symbol (default); above 0 sample: "
        "below 1 cautious, above 1 adventurous",
    )
    p.add_argument(
        "--seed",
        type=int_in(0, 2**32 - 1),
        metavar="N",
        help="seed for sampling (default: the project's seed)",
    )
    _add_experiment(p)
    p.add_argument("--json", action="store_true", help=json_help)

    p = sub.add_parser(
        "evaluate",
        help="measure loss and accuracy on a text",
        description="Mean cross-entropy loss and next-symbol accuracy of the trained "
        "network on a text, per sequence (line) and overall.",
    )
    p.add_argument("project", metavar="PROJECT", help="the project file")
    p.add_argument("--text-file", metavar="F", required=True, help="one sequence per line")
    p.add_argument("--json", action="store_true", help=json_help)

    p = sub.add_parser(
        "info",
        help="check a project file and summarise it",
        description="Check a project file and summarise its text, model, settings and training.",
    )
    p.add_argument("project", metavar="PROJECT", help="the project file")
    p.add_argument("--json", action="store_true", help=json_help)

    p = sub.add_parser("presets", help="list the bundled examples", description="List presets.")
    p.add_argument("--json", action="store_true", help=json_help)
    _add_figure(sub)
    _add_export(sub)
    return parser


def _add_experiment(p: argparse.ArgumentParser) -> None:
    """predict's experiment flags: they change the run, never the saved weights."""
    p.add_argument(
        "--clamp",
        action="append",
        metavar="GATE=V",
        help="experiment: hold a gate at V (0…1) at every step, e.g. forget=0; repeat it or "
        "use commas (forget=0,select=1); GATE@UNITS=V for chosen units (forget@0,3=1). "
        "Gates: forget, ignore/input, select/output, possibilities/candidate (LSTM); "
        "reset, update, candidate (GRU)",
    )
    p.add_argument(
        "--knockout",
        metavar="UNITS|all",
        help="experiment: hidden units (from 0) whose h and c are 0 at every step, "
        "e.g. 0,3,5 or 2-5 or all",
    )
    p.add_argument(
        "--wipe-after",
        type=int_in(1, 2**31 - 1),
        metavar="K",
        help="experiment: wipe the memory (c and h to 0) after the K-th symbol "
        "(counting the prefix, then the generated symbols)",
    )
    p.add_argument(
        "--gates",
        action="store_true",
        help="also show each step's gate values, hidden state h and memory c (LSTM)",
    )


def _add_figure(sub: Any) -> None:
    whole = int_in(0, 2**31 - 1)
    p = sub.add_parser(
        "figure",
        help="draw one view of a project to a PNG or SVG still or a GIF animation (for slides)",
        description="Draw one view of a saved project to an image, exactly as the window "
        "draws it, without opening a window (no display needed). OUT's extension picks the "
        "kind: .png or .svg, a still; .gif, an animation; .mp4, the same animation as a "
        "video, only where the program ffmpeg is installed (on PATH). Nothing is trained: "
        "the view shows the project as saved, at its stored epochs. --size is the image "
        "in pixels; --scale is the UI scale the view is drawn at (1920x1080 at --scale "
        "1.5 is the 1280x720 layout, drawn sharp). An existing OUT is overwritten, only "
        "once the new file is complete. "
        "An animation shows, one frame each: train, compare and versus the epoch replay "
        "(every stored epoch, the epoch written in each frame; compare moves B, A stays); "
        "cell every time step of the sequence; state-map the trajectories growing step by "
        "step; generate the text written symbol by symbol. When there are more than "
        "--frames, evenly spaced ones are shown, the first and the last always.",
    )
    p.add_argument("project", metavar="PROJECT", help="the project file")
    p.add_argument(
        "out", metavar="OUT", help="the file to write: NAME.png, NAME.svg, NAME.gif or NAME.mp4"
    )
    p.add_argument(
        "--view",
        choices=VIEWS,
        required=True,
        help="which view: train (loss, predictions, gates), compare (two epochs), cell "
        "(inside the cell), versus (RNN vs LSTM), generate, state-map",
    )
    p.add_argument(
        "--size", default=DEFAULT_SIZE, metavar="WxH", help=f"image size in pixels ({DEFAULT_SIZE})"
    )
    p.add_argument(
        "--scale",
        type=float_in(MIN_SCALE, MAX_SCALE),
        default=1.0,
        metavar="S",
        help="UI scale: text and lines S times as big, the layout SIZE/S (1)",
    )
    p.add_argument(
        "--sequence",
        type=int_in(1, 2**31 - 1),
        metavar="N",
        help="the N-th sequence (line) of the text, from 1 (train, compare, cell, versus; "
        "default: the one saved in the project)",
    )
    p.add_argument(
        "--epoch",
        type=whole,
        metavar="N",
        help="a stored epoch (cell, generate, state-map; default: the latest)",
    )
    p.add_argument(
        "--epoch-a", type=whole, metavar="N", help="compare: the earlier stored epoch, A"
    )
    p.add_argument(
        "--epoch-b",
        type=whole,
        metavar="N",
        help="compare: the later stored epoch, B (latest); a still only",
    )
    p.add_argument(
        "--step",
        type=int_in(1, 2**31 - 1),
        metavar="T",
        help="cell: the time step shown, from 1 (default: the one saved in the project); "
        "a still only",
    )
    p.add_argument(
        "--fps",
        type=float_in(MIN_FPS, MAX_FPS),
        metavar="N",
        help=f"animations: frames per second, {MIN_FPS:g} to {MAX_FPS:g} ({DEFAULT_FPS:g})",
    )
    p.add_argument(
        "--frames",
        type=int_in(2, MAX_FRAMES),
        metavar="N",
        help=f"animations: at most N frames, 2 to {MAX_FRAMES} ({DEFAULT_FRAMES}); a GIF "
        "at most 400 million pixels in all (190 frames at 1920x1080)",
    )
    p.add_argument(
        "--loop",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="GIF: play for ever, or once and stop on the last frame (--no-loop) (default: --loop)",
    )
    p.add_argument(
        "--presentation",
        action="store_true",
        help="draw the view as presentation mode shows it (View > Presentation): larger "
        "text and thicker lines, for the back of a lecture hall",
    )


def _add_export(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="write a project as a folder PyTorch can carry on from",
        description="Write the project's network, vocabulary and text to the folder DIR, "
        "with model.py (a torch.nn module), predict.py and train.py, which need PyTorch "
        "but not this app (see DIR/README.md). The folder appears whole or not at all. "
        "An existing folder that is not empty is refused unless --force is given; even "
        "then only a previous export's files are replaced, and no other file in it is "
        "touched or deleted.",
    )
    p.add_argument("project", metavar="PROJECT", help="the project file")
    p.add_argument("dir", metavar="DIR", help="the folder to write (created if missing)")
    p.add_argument("--to", choices=TARGETS, required=True, help="what to export for: pytorch")
    p.add_argument("--force", action="store_true", help="write into DIR even if it is not empty")
