"""What every command of the CLI shares: the program name, exit codes, errors and helpers.

Never imports Qt.  Every problem with the user's input is raised as an exception the
caller (:func:`app.cli.run`) turns into one ``lstm-playground: error: …`` line.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from app.data.checks import MAX_TEXT_CHARS
from app.data.tokenize import NEWLINE, display_symbol
from app.engine.config import ModelConfig
from app.engine.finite import nonfinite_weights
from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.text import quoted
from app.project import Project, load_project

PROG = "lstm-playground"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
START_AGAIN = "start again from new weights (Reset in the window, or 'lstm-playground new')"


class CliError(Exception):
    """Bad input: printed as one ``error:`` line, exit code 2, nothing written."""


MAX_LINE = 1000
"""Longest message line written to stderr: the net below :func:`~app.engine.text.quoted`."""


def one_line(message: str, limit: int = MAX_LINE) -> str:
    """``message`` on one line (line breaks and the spaces around them → one space), and
    cut after ``limit`` characters, so no input, however long, floods the terminal."""
    if len(message) > 4 * limit:  # do not run the regex over megabytes that are cut anyway
        message = message[: 4 * limit]
    line = re.sub(r"\s*[\r\n]+\s*", " ", message).strip()
    if len(line) > limit:
        line = f"{line[: limit - 30]}… (message cut)"
    return line


def note(message: str) -> None:
    """A remark for the person at the terminal (stderr, so stdout stays clean)."""
    print(f"{PROG}: {one_line(message)}", file=sys.stderr)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, allow_nan=False), flush=True)


def silence_stdout() -> None:
    """After a broken pipe: point stdout at the null device so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def finite_or_none(value: Any) -> Any:
    """JSON has no NaN: non-finite numbers become ``null``."""
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def show(symbol: str) -> str:
    """A symbol as printed: quoted when it is blank or contains spaces or controls; a line
    break (stream mode's symbol) as ⏎."""
    if symbol == NEWLINE:
        return display_symbol(symbol)
    if symbol.isprintable() and not any(c.isspace() for c in symbol):
        return symbol
    return quoted(symbol)


def read_text_file(name: str) -> str:
    """The UTF-8 text of ``name`` (``-`` reads stdin), refused past the data layer's limit.

    At most :data:`MAX_TEXT_BYTES` are read, in pieces: an endless source (``/dev/zero``,
    a pipe that never ends) is refused once it passes the limit, never read whole.
    """
    try:
        if name == "-":
            raw = _read_bounded(sys.stdin.buffer, "standard input")
        else:
            with open(name, "rb") as fp:
                raw = _read_bounded(fp, f"text file {name}")
    except FileNotFoundError:
        raise CliError(f"text file {name} does not exist") from None
    except IsADirectoryError:
        raise CliError(f"text file {name} is a folder, not a file") from None
    except OSError as exc:
        raise CliError(f"cannot read text file {name}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"text file {name} is not UTF-8 text (bad byte at {exc.start})") from None


MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS + 3
"""The most bytes a text within the character limit can take in UTF-8 (with a BOM)."""


def _read_bounded(fp: BinaryIO, what: str) -> bytes:
    pieces, size = [], 0
    while piece := fp.read(min(2**22, MAX_TEXT_BYTES + 1 - size)):
        pieces.append(piece)
        size += len(piece)
        if size > MAX_TEXT_BYTES:
            raise CliError(
                f"{what} is over {MAX_TEXT_BYTES:,} bytes; a text may have at most "
                f"{MAX_TEXT_CHARS:,} characters"
            )
    return b"".join(pieces)


def open_project(name: str) -> Project:
    """Load and validate a project file (``ProjectFileError`` names the file and problem)."""
    path = Path(name)
    if not path.exists():
        raise CliError(f"project file {name} does not exist")
    if not path.is_file():
        raise CliError(f"project file {name} is not a file")
    return load_project(path)


def check_output_path(name: str, force: bool) -> Path:
    """Refuse to write where it cannot or should not (checked before anything is built)."""
    path = Path(name)
    if path.is_dir():
        raise CliError(f"{name} is a folder; give a file name such as {name}/my.lstmproj")
    if not path.parent.is_dir():
        raise CliError(f"cannot create {name}: the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise CliError(f"{name} already exists; add --force to overwrite it")
    return path


def weights(
    project: Project, name: str, consequence: str = "nothing can be computed from them"
) -> tuple[Network, ParamSet]:
    """The network and its latest weights (the seed's initial weights when untrained).

    Weights that hold NaN or infinities are refused (:func:`check_weights`, saying
    ``consequence``).
    """
    try:
        network, params = project.weights()
    except ValueError as exc:
        raise CliError(f"{name}: the stored weights do not fit the model ({exc})") from None
    check_weights(name, params, consequence)
    return network, params


def check_weights(name: str, weights: Mapping[str, np.ndarray], consequence: str) -> None:
    """Refuse weights that hold NaN or infinities: one line naming the file and the arrays.

    ``consequence`` says what cannot be done, e.g. "nothing can be computed from them".
    """
    problem = nonfinite_weights(weights)
    if problem is not None:
        raise CliError(f"{name}: {problem}; {consequence} — {START_AGAIN}")


def parameter_count(model: ModelConfig) -> int:
    return sum(int(np.prod(shape)) for shape in Network(model).shapes.values())
