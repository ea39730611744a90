"""Preferences that belong to the person, not the project: kept in QSettings.

Window geometry, dock and splitter state, recent files, the plot refresh rate, the
loss scale and the window's zoom live here; everything about a project lives in its
``.lstmproj`` file.

``LSTM_PLAYGROUND_SETTINGS_DIR`` (used by the tests) puts the settings in an INI file in
that folder instead of the user's real settings store.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "LSTM Playground"
APPLICATION = "LSTM Playground"
SETTINGS_DIR_ENV = "LSTM_PLAYGROUND_SETTINGS_DIR"

MAX_RECENT = 8
REFRESH_RATES = (5, 10, 20, 30, 60)
DEFAULT_REFRESH_RATE = 20
DEFAULT_ZOOM, MIN_ZOOM, MAX_ZOOM = 100, 50, 300
"""The window's zoom, in percent (View ▸ Zoom)."""


def open_settings() -> QSettings:
    """The app's QSettings: the user's store, or an INI file under the override folder."""
    folder = os.environ.get(SETTINGS_DIR_ENV)
    if folder:
        path = Path(folder) / "lstm-playground.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


class Preferences:
    """Typed access to the stored preferences; every getter survives garbage values."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings if settings is not None else open_settings()

    # -- window state ------------------------------------------------------------
    def state(self, key: str) -> QByteArray | None:
        """A saved ``saveGeometry()``/``saveState()`` blob, or None."""
        value = self._s.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, key: str, blob: QByteArray) -> None:
        self._s.setValue(f"window/{key}", blob)

    # -- recent files --------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        """Recently used project files, newest first; files that vanished are pruned."""
        raw = self._s.value("files/recent", [])
        if isinstance(raw, str):  # QSettings gives a bare string for a one-item list
            raw = [raw]
        if not isinstance(raw, list):
            raw = []
        paths = [Path(p) for p in raw if isinstance(p, str) and p]
        existing = [p for p in paths if p.is_file()]
        if existing != paths:
            self._store_recent(existing)
        return existing

    def add_recent_file(self, path: Path) -> None:
        path = path.resolve()
        paths = [path] + [p for p in self.recent_files() if p != path]
        self._store_recent(paths[:MAX_RECENT])

    def clear_recent_files(self) -> None:
        self._store_recent([])

    def _store_recent(self, paths: list[Path]) -> None:
        self._s.setValue("files/recent", [str(p) for p in paths])

    # -- plot preferences -----------------------------------------------------------
    def refresh_rate(self) -> int:
        value = _to_int(self._s.value("plots/refresh_rate"), DEFAULT_REFRESH_RATE)
        return value if value in REFRESH_RATES else DEFAULT_REFRESH_RATE

    def set_refresh_rate(self, hz: int) -> None:
        self._s.setValue("plots/refresh_rate", int(hz))

    def log_scale(self) -> bool:
        return _to_bool(self._s.value("plots/log_scale"), False)

    def set_log_scale(self, on: bool) -> None:
        self._s.setValue("plots/log_scale", bool(on))

    def ui_zoom(self) -> int:
        """The whole window's zoom in percent (100 when unset or not a sane number)."""
        value = _to_int(self._s.value("view/zoom"), DEFAULT_ZOOM)
        return value if MIN_ZOOM <= value <= MAX_ZOOM else DEFAULT_ZOOM

    def set_ui_zoom(self, percent: int) -> None:
        self._s.setValue("view/zoom", max(MIN_ZOOM, min(MAX_ZOOM, int(percent))))

    def last_directory(self) -> str:
        value = self._s.value("files/last_directory", "")
        return value if isinstance(value, str) and Path(value).is_dir() else str(Path.home())

    def set_last_directory(self, folder: Path) -> None:
        self._s.setValue("files/last_directory", str(folder))

    def sync(self) -> None:
        self._s.sync()


def _to_int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _to_bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):  # INI files store booleans as "true"/"false"
        return value.lower() in ("true", "1", "yes")
    return default
