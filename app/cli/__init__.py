"""The headless command line: build, train, inspect and query projects without a window.

Never imports Qt (an import-linter contract in ``pyproject.toml`` enforces it).  This
package's ``run`` runs one command and turns every failure into an exit code; the parser
lives in :mod:`app.cli.parser`, the commands in :mod:`app.cli.new`, :mod:`app.cli.info`
(info, presets), :mod:`app.cli.predict` (predict, evaluate), :mod:`app.cli.train` and
:mod:`app.cli.figure` (which draws through the window's package, imported lazily) and
:mod:`app.cli.export` (a project as a PyTorch folder);
:mod:`app.cli.common` holds what they share.

Exit codes: 0 success; 1 training stopped because the loss became NaN/infinite (the
last good weights are saved) or an internal error; 2 bad input (a missing or broken
file, a bad setting, an unknown symbol, …) — one ``lstm-playground: error: …`` line on
stderr and no file is changed; 130 training interrupted with Ctrl-C (what was learned
is saved).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    CliError,
    one_line,
    silence_stdout,
)
from app.cli.export import cmd_export
from app.cli.figure import cmd_figure
from app.cli.info import cmd_info, cmd_presets
from app.cli.new import cmd_new
from app.cli.parser import COMMANDS, build_parser
from app.cli.predict import cmd_evaluate, cmd_predict
from app.cli.train import cmd_train
from app.data import DataError
from app.engine.config import ConfigError
from app.project import ProjectFileError

__all__ = ["COMMANDS", "build_parser", "run"]

HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new,
    "train": cmd_train,
    "predict": cmd_predict,
    "evaluate": cmd_evaluate,
    "info": cmd_info,
    "presets": cmd_presets,
    "figure": cmd_figure,
    "export": cmd_export,
}


def run(argv: Sequence[str]) -> int:
    """Run one command; returns the exit code and never lets a traceback out."""
    try:
        try:
            args = build_parser().parse_args(list(argv))
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else 0
        return HANDLERS[args.command](args)
    except (CliError, DataError, ConfigError, ProjectFileError) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # e.g. `... | head`: nobody is reading any more
        silence_stdout()
        return EXIT_FAILED
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: one line, no traceback
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {one_line(str(exc))} "
            "(this is a bug, please report it)",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _fail(message: str) -> int:
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE
