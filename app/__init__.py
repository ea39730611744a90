"""LSTM Playground: train a recurrent network on symbol sequences and watch it learn."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("lstm-playground")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen build
    __version__ = "0.1.0"
