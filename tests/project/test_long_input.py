"""A file whose text holds a huge symbol is refused with a short message naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.project import ProjectFileError, load_project, save_project
from tests.project.helpers import edit_json, make_project


def test_a_huge_symbol_in_the_stored_text_gives_a_short_message(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)
    edit_json(path, lambda doc: doc.update(text=doc["text"] + "y" * 5_000_000 + "\n"))
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    message = str(info.value)
    assert "line 4: only one symbol, 'yyy" in message and "(5,000,000 characters)" in message
    assert len(message) < 400
