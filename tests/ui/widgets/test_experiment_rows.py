"""Knocked-out units as a learner types them: numbers, commas or spaces, ranges."""

from __future__ import annotations

import pytest

from app.ui.widgets.experiment_rows import parse_units


def test_units_typed_with_commas_spaces_and_ranges() -> None:
    assert parse_units("") == ()
    assert parse_units(" 3, 0  5-7,3 ") == (0, 3, 5, 6, 7)
    assert parse_units("7-5") == (5, 6, 7)


@pytest.mark.parametrize("text", ["two", "1.5", "-1", "3-"])
def test_anything_else_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValueError, match="is not a unit number") as info:
        parse_units(text)
    assert "\n" not in str(info.value)
