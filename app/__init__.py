"""LSTM Playground: train a recurrent network on symbol sequences and watch it learn."""

from __future__ import annotations

import os
import tomllib
from importlib import metadata
from pathlib import Path

# One BLAS thread unless the user says otherwise (before NumPy loads): the models here
# are small, so a second BLAS thread only adds hand-offs and fights the window for the
# cores.  Measured on 2 cores under load: chars-text trained 105 epochs/s with one
# thread and 20 with two (see bench/RESULTS.md).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _version() -> str:
    """The version in pyproject.toml: from the installed metadata, else read from the tree."""
    try:
        return metadata.version("lstm-playground")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


__version__ = _version()
