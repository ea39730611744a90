"""Fixtures for the whole suite: Qt draws offscreen, and no test touches the user's files.

Every test gets its own settings folder and home directory: the app's settings go to
``LSTM_PLAYGROUND_SETTINGS_DIR``, and any QSettings built another way (the default
organisation/application constructor included) lands in the same temporary folder as
an INI file, never in the user's registry, plist or ``~/.config``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from pathlib import Path

import pytest

SETTINGS_ENV = "LSTM_PLAYGROUND_SETTINGS_DIR"


@pytest.fixture(autouse=True)
def _private_settings_and_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("user")
    home = folder / "home"
    config = home / ".config"
    config.mkdir(parents=True)
    monkeypatch.setenv(SETTINGS_ENV, str(folder / "settings"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    from PySide6.QtCore import QSettings

    previous = QSettings.defaultFormat()
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder / "qsettings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    yield folder
    QSettings.setDefaultFormat(previous)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test (or one parameter of it) marked ``slow`` runs only with ``-m slow``: the
    default run (``make test``) stays within its few minutes, the long checks remain."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="long run: select it with -m slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
