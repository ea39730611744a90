"""Without a display the window says so in one line instead of a Qt plugin abort."""

from __future__ import annotations

import sys

import pytest

from app.ui.main import run_gui


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is an X11/Wayland idea")
def test_no_display_gives_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert run_gui([]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("lstm-playground: error: no display")
    assert "--self-test" in err and len(err.splitlines()) == 1
