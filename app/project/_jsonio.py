"""Strict JSON for ``project.json``: parsing that refuses surprises, and typed field access.

Python's :mod:`json` happily accepts ``NaN``, duplicate keys, 10,000-digit integers
and ``1e999`` (→ inf); a project file must not, so every one of those is refused here,
and :class:`Obj` checks each field's type and range and names the field on failure.
"""

from __future__ import annotations

import json
import math
from typing import Any

from app.engine.config import MAX_COUNT
from app.engine.text import quoted
from app.project.errors import FormatProblem

MAX_INT_DIGITS = 40
"""Longest integer literal accepted (2**128 has 39 digits)."""
MAX_UI_DEPTH = 32
"""Deepest nesting of lists/objects allowed inside ``ui``."""

_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def loads(data: bytes) -> Any:
    """Parse ``project.json`` bytes (UTF-8), refusing NaN, duplicates and huge numbers."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatProblem("project.json is not valid UTF-8 text") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except RecursionError:
        raise FormatProblem("project.json is nested too deeply") from None
    except json.JSONDecodeError as e:
        raise FormatProblem(
            f"project.json is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})"
        ) from None


def dumps(doc: dict[str, Any]) -> bytes:
    """UTF-8 JSON, one field per line (diffable); refuses what :func:`loads` would."""
    try:
        return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")
    except UnicodeEncodeError:
        raise FormatProblem(
            "the text contains characters that cannot be stored (unpaired surrogates)"
        ) from None
    except (ValueError, RecursionError) as e:
        raise FormatProblem(f"cannot be written as JSON ({e})") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise FormatProblem(f"project.json has the key {quoted(key)} twice in one object")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise FormatProblem(f"project.json contains {name}, which is not a JSON number")


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise FormatProblem(f"project.json contains an integer with {len(literal)} digits")
    return int(literal)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise FormatProblem(f"project.json contains the number {literal[:40]}, out of range")
    return value


def describe(value: Any) -> str:
    """A short phrase for an unexpected value in an error message."""
    kind = {
        bool: "true/false",
        type(None): "null",
        str: "a string",
        list: "a list",
        dict: "an object",
        int: "an integer",
        float: "a number",
    }.get(type(value), "a value")
    shown = repr(value)
    if isinstance(value, list | dict) or len(shown) > 40:
        return kind
    return f"{kind} ({shown})"


def encode_metric(x: float) -> float | str:
    """A metric as JSON: the number, or ``"NaN"``/``"Infinity"``/``"-Infinity"``."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_json_value(value: Any, where: str, depth: int = 0) -> None:
    """Refuse anything that would not come back from JSON as an equal Python value."""
    if depth > MAX_UI_DEPTH:
        raise FormatProblem(f"{where} is nested more than {MAX_UI_DEPTH} levels deep")
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_INT_DIGITS:
            raise FormatProblem(f"{where} is an integer with more than {MAX_INT_DIGITS} digits")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise FormatProblem(f"{where} is {value}; only finite numbers can be stored")
    elif isinstance(value, list):
        for k, item in enumerate(value):
            check_json_value(item, f"{where}[{k}]", depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FormatProblem(f"{where} has the key {quoted(key)}; keys must be strings")
            check_json_value(item, f"{where}[{key!r}]", depth + 1)
    else:
        raise FormatProblem(
            f"{where} is a {type(value).__name__}; only dict, list, str, int, float, bool "
            "and None can be stored"
        )


class Obj:
    """A JSON object being checked; each accessor validates one field, naming it on failure.

    Call :meth:`finish` last: fields nobody asked for are refused, so a typo or a
    field from a newer version is reported instead of silently dropped.
    """

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            what = f"field {where}" if where else "project.json"
            raise FormatProblem(f"{what} must be a JSON object, got {describe(value)}")
        self.data: dict[str, Any] = value
        self.where = where
        self._seen: set[str] = set()

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def raw(self, key: str) -> Any:
        self._seen.add(key)
        if key not in self.data:
            raise FormatProblem(f"field {self.name(key)} is missing")
        return self.data[key]

    def _fail(self, key: str, wanted: str, value: Any) -> FormatProblem:
        return FormatProblem(f"field {self.name(key)} must be {wanted}, got {describe(value)}")

    def integer(self, key: str, lo: int = 0, hi: int = MAX_COUNT) -> int:
        value = self.raw(key)
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise self._fail(key, f"an integer from {lo} to {hi}", value)
        return value

    def number(self, key: str, lo: float = 0.0, hi: float = math.inf) -> float:
        """A finite number in ``[lo, hi]``."""
        value = self.raw(key)
        if not is_number(value) or not lo <= value <= hi:
            raise self._fail(key, f"a number from {lo:g} to {hi:g}", value)
        return float(value)

    def metric(self, key: str) -> float:
        """A number, or one of the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``."""
        value = self.raw(key)
        if is_number(value):
            return float(value)
        if isinstance(value, str) and value in _SPECIAL:
            return _SPECIAL[value]
        raise self._fail(key, 'a number (or "NaN", "Infinity", "-Infinity")', value)

    def optional_metric(self, key: str) -> float | None:
        return None if self.raw(key) is None else self.metric(key)

    def string(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise self._fail(key, "a string", value)
        return value

    def optional_string(self, key: str) -> str | None:
        value = self.raw(key)
        if value is not None and not isinstance(value, str):
            raise self._fail(key, "a string or null", value)
        return value

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def obj(self, key: str) -> Obj:
        return Obj(self.raw(key), self.name(key))

    def array(self, key: str, max_len: int) -> list[Any]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise self._fail(key, "a list", value)
        if len(value) > max_len:
            raise FormatProblem(
                f"field {self.name(key)} has {len(value)} items; the limit is {max_len}"
            )
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self._seen)
        if unknown:
            names = ", ".join(self.name(k if len(k) <= 60 else quoted(k)) for k in unknown[:5])
            raise FormatProblem(f"unexpected field(s) {names}")
