"""File ▸ Export ▸ Figure / Animation of this view: the tab on screen, from the project in
memory, drawn by the ``figure`` command's code; errors are a message, not a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from app.project import save_project
from app.ui.shell import view_export
from app.ui.shell.view_export import GIF_FILTER
from app.ui.shell.window import MainWindow
from app.ui.tabs.cell import CellView
from tests.project.helpers import make_project
from tests.ui.conftest import Dialogs, FileDialogs


def test_the_tab_on_screen_is_exported_from_memory(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    file_dialogs: FileDialogs,
    dialogs: Dialogs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The project file is gone from disk: what is drawn is the project in memory (at a
    smaller slide than 1920x1080, for speed)."""
    slide = (960, 540, 1.5)
    monkeypatch.setattr(view_export, "SLIDE", slide)
    source = tmp_path / "dinner.lstmproj"
    save_project(make_project(epochs=4), source)
    window = make_window(source)
    source.unlink()
    actions = window.menu_actions

    file_dialogs.next_save(tmp_path / "train", "PNG image (*.png)")
    actions.export_figure.trigger()
    with Image.open(tmp_path / "train.png") as im:
        assert im.size == slide[:2]

    tabs = window.views
    cell = next(w for i in range(tabs.count()) if isinstance(w := tabs.widget(i), CellView))
    tabs.setCurrentWidget(cell)
    file_dialogs.next_save(tmp_path / "cell", GIF_FILTER)
    actions.export_animation.trigger()
    with Image.open(tmp_path / "cell.gif") as im:
        assert im.size == slide[:2] and im.n_frames == 3  # "pizza sushi waffles pizza"
    assert window.view_export.last_written == tmp_path / "cell.gif"
    assert dialogs.calls == []
    assert "cell.gif" in window.statusBar().currentMessage()

    file_dialogs.next_save(tmp_path / "no-such-folder" / "cell.gif", GIF_FILTER)
    actions.export_animation.trigger()
    assert [(k, t) for k, t, _ in dialogs.calls] == [("critical", "Cannot export the animation")]
    assert "Traceback" not in dialogs.calls[0][2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cell.gif", "train.png"]


def test_pytorch_export_from_the_window(
    make_window: Callable[..., MainWindow],
    file_dialogs: FileDialogs,
    dialogs: Dialogs,
    tmp_path: Path,
) -> None:
    """File ▸ Export ▸ PyTorch project… writes the export command's folder from the
    project in memory; a previous export is replaced only after asking; a folder of the
    user's own is refused with a message and left alone."""
    from app.cli.export import is_export
    from app.ui.shell.dialogs import Button

    source = tmp_path / "dinner.lstmproj"
    save_project(make_project(epochs=3), source)
    window = make_window(source)
    action = window.menu_actions.export_pytorch
    target = tmp_path / "dinner-pytorch"

    file_dialogs.next_save(target)
    action.trigger()
    assert is_export(target) and (target / "model.py").is_file()
    assert window.view_export.last_written == target
    assert dialogs.calls == []

    (target / "notes.txt").write_text("mine", encoding="utf-8")
    before = (target / "weights.npz").stat().st_mtime_ns
    dialogs.answer("question", Button.Cancel)
    file_dialogs.next_save(target)
    action.trigger()
    assert [t for k, t, _ in dialogs.calls] == ["Replace the earlier export?"]
    assert (target / "weights.npz").stat().st_mtime_ns == before  # cancelled: untouched

    dialogs.answer("question", Button.Yes)
    file_dialogs.next_save(target)
    action.trigger()
    assert is_export(target) and (target / "notes.txt").read_text(encoding="utf-8") == "mine"

    own = tmp_path / "my-folder"
    own.mkdir()
    (own / "essay.txt").write_text("keep", encoding="utf-8")
    file_dialogs.next_save(own)
    action.trigger()
    assert dialogs.calls[-1][:2] == ("critical", "Cannot export for PyTorch")
    assert sorted(p.name for p in own.iterdir()) == ["essay.txt"]
