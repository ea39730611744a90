"""Strict JSON for ``project.json``: parsing that refuses surprises, and typed field access.

Python's :mod:`json` happily accepts ``NaN``, duplicate keys, 10,000-digit integers
and ``1e999`` (→ inf); a project file must not, so every one of those is refused here,
and :class:`Obj` checks each field's type and range and names the field on failure.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from app.engine.config import MAX_COUNT
from app.engine.text import quoted
from app.project._zipread import MAX_JSON_BYTES
from app.project.errors import FormatProblem

MAX_INT_DIGITS = 40
"""Longest integer literal accepted (2**128 has 39 digits)."""
MAX_UI_DEPTH = 32
"""Deepest nesting of lists/objects allowed inside ``ui``."""
MAX_UI_VALUES = 4096
"""Most JSON values (each string, number, list, object …) ``ui`` may hold; the app writes ~30."""
MAX_UI_BYTES = 256 * 2**10
"""Largest ``ui`` as compact UTF-8 JSON: the app writes < 1 KiB, plus a Generate prompt of
up to 32,767 characters (a Qt line edit's limit), which fits even when every one of them
is escaped to six bytes."""
MAX_JSON_VALUES = 8_000_000
"""Most JSON values in all of ``project.json``, counted before it is parsed.  Two models'
full histories (2 × 200,000 epochs × 14 values) and everything else fit with room to
spare; a file of 85 KB inflating to 30 million zeros does not (parsing it would take
seconds and hundreds of megabytes)."""

_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_BODY = r'[^"\\]*+(?:\\.[^"\\]*+)*+'  # a string's inside (possessive: no backtracking)
# Every string, so the scan stays aligned with the tokens: a value string becomes a lone
# quote, a key stays whole ("ui":) to name the culprit.  Starts with a literal: fast.
_STRINGS = re.compile(rf'"(?:({_BODY}"\s*+:)|{_BODY}")', re.DOTALL)
_KEY = re.compile(rf'"{_BODY}"\s*+:', re.DOTALL)
_STRUCTURE = re.compile(r'[\[\]{}"]')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(data: bytes) -> Any:
    """Parse ``project.json`` bytes (UTF-8), refusing NaN, duplicates and huge numbers.

    The document's size is measured before it is parsed (:func:`_prescan`), so a small
    file that inflates to millions of values is refused in a fraction of a second
    instead of being built; the parse itself is the standard library's C scanner.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatProblem("project.json is not valid UTF-8 text") from None
    _prescan(data, text)
    try:
        doc = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except RecursionError:
        raise FormatProblem("project.json is nested too deeply") from None
    except json.JSONDecodeError as e:
        raise FormatProblem(
            f"project.json is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})"
        ) from None
    except ValueError:  # Python's limit on digits in an integer (4,300); fields check ranges
        raise FormatProblem("project.json contains an integer with thousands of digits") from None
    if _SURROGATE_ESCAPE.search(text):  # only an escape can make one: UTF-8 cannot
        problem = unpaired_surrogate(doc)
        if problem is not None:
            raise FormatProblem(problem)
    return doc


def _prescan(data: bytes, text: str) -> None:
    """Refuse a document with more than :data:`MAX_JSON_VALUES` values, without parsing it.

    Commas and opening brackets bound the values from above; only when the raw bytes
    have too many (a text full of commas, or a bomb) are strings taken out to count
    exactly (~0.1 s for 60 MB).
    """
    if sum(data.count(c) for c in (b",", b"[", b"{")) <= MAX_JSON_VALUES:
        return
    structure = _STRINGS.sub(r'"\1', text)
    n = sum(structure.count(c) for c in ",[{")
    if n > MAX_JSON_VALUES:
        where = _biggest_member(structure)
        raise FormatProblem(
            f"project.json holds {n:,} values; the limit is {MAX_JSON_VALUES:,}" + where
        )


def _biggest_member(structure: str) -> str:
    """`` (N of them in field ui)``: the top-level field holding most of the values."""
    depth, starts = 0, []
    for k, token in enumerate(_STRUCTURE.finditer(structure)):
        if k > 100_000:  # millions of brackets: say no more than the count
            return ""
        t = token.group()
        if t in "[{":
            depth += 1
        elif t in "]}":
            depth -= 1
        elif depth == 1:
            key = _KEY.match(structure, token.start())
            if key:
                starts.append((key.group().rstrip()[:-1].rstrip(), key.end()))
    if not starts:
        return ""
    ends = [start for _, start in starts[1:]] + [len(structure)]
    counts = [
        sum(structure.count(c, start, end) for c in ",[{")
        for (_, start), end in zip(starts, ends, strict=True)
    ]
    best = max(range(len(counts)), key=counts.__getitem__)
    try:
        name = json.loads(starts[best][0])
    except ValueError:
        return ""
    return f" ({counts[best]:,} of them in field {name if len(name) <= 60 else quoted(name)})"


def unpaired_surrogate(doc: Any) -> str | None:
    """The first string (or key) of ``doc`` holding an unpaired surrogate, as a message.

    JSON can spell one (``"\ud800"``) but it is not a character: UTF-8 cannot store
    it, so a save would fail.  ``None`` if there is none.
    """
    stack: list[tuple[Any, Any]] = [(doc, None)]  # (value, its path as nested tuples)
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                return _surrogate_message(path, found.group(), "")
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                found = _SURROGATE.search(key) if isinstance(key, str) else None
                if found:
                    return _surrogate_message(path, found.group(), " in a key")
                stack.append((item, (path, key)))
        elif isinstance(value, list):
            stack.extend((item, (path, k)) for k, item in reversed(list(enumerate(value))))
    return None


def _surrogate_message(path: Any, char: str, where: str) -> str:
    parts: list[Any] = []
    while path is not None:
        path, part = path
        parts.append(part)
    name = ""
    for part in reversed(parts):
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            part = part if len(part) <= 60 else quoted(part)
            name += f".{part}" if name else part
    what = f"field {name}" if name else "project.json"
    return (
        f"{what} holds an unpaired surrogate{where} (\\u{ord(char):04x}), which is not a character"
    )


def dumps(doc: dict[str, Any]) -> bytes:
    """UTF-8 JSON, one field per line (diffable); refuses what :func:`loads` would.

    Compact (no indentation) when the indented form would pass :data:`MAX_JSON_BYTES`:
    a document that loaded must save, and indentation adds bytes.
    """
    try:
        data = json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")
        if len(data) > MAX_JSON_BYTES:
            data = json.dumps(
                doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")
            ).encode("utf-8")
        return data
    except UnicodeEncodeError:
        problem = unpaired_surrogate(doc)
        raise FormatProblem(problem or "project.json cannot be encoded as UTF-8") from None
    except (ValueError, RecursionError) as e:
        raise FormatProblem(f"cannot be written as JSON ({e})") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise FormatProblem(f"project.json has the key {quoted(key)} twice in one object")
            seen.add(key)
    return out


def _no_constant(name: str) -> Any:
    raise FormatProblem(f"project.json contains {name}, which is not a JSON number")


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
    if isinstance(value, float) and not math.isfinite(value):
        return "a number out of range"
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
    """A finite JSON number (the parser turns ``1e999`` into infinity: refused here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_json_value(value: Any, where: str) -> None:
    """Refuse what would not come back from JSON as an equal value, or is too big for ``ui``.

    At most :data:`MAX_UI_VALUES` values, :data:`MAX_UI_DEPTH` levels and
    :data:`MAX_UI_BYTES` of compact JSON.  The walk stops as soon as a bound is
    passed, and builds a value's name only when it reports it.
    """
    stack: list[tuple[Any, Any, int]] = [(value, None, 0)]  # (value, path, depth)
    count, size = 1, 0  # values met so far (a container's items as soon as it is met)
    while stack:
        item, path, depth = stack.pop()
        count += len(item) if isinstance(item, list | dict) else 0
        if count > MAX_UI_VALUES:  # before a list's items are pushed: they may be millions
            raise FormatProblem(f"field {where} holds more than {MAX_UI_VALUES:,} values")
        if depth > MAX_UI_DEPTH:
            raise FormatProblem(
                f"{_path(where, path)} is nested more than {MAX_UI_DEPTH} levels deep"
            )
        if item is None or isinstance(item, bool):
            size += 5
        elif isinstance(item, str):
            size += len(item) + 2
        elif isinstance(item, int):
            size += MAX_INT_DIGITS + 1  # at most: an overestimate is harmless here
            if abs(item) >= 10**MAX_INT_DIGITS:
                raise FormatProblem(
                    f"{_path(where, path)} is an integer with more than {MAX_INT_DIGITS} digits"
                )
        elif isinstance(item, float):
            size += 24  # at most: repr of a float
            if not math.isfinite(item):
                raise FormatProblem(
                    f"{_path(where, path)} is {item}; only finite numbers can be stored"
                )
        elif isinstance(item, list):
            stack.extend((v, (path, k), depth + 1) for k, v in enumerate(item))
        elif isinstance(item, dict):
            for key, v in item.items():
                if not isinstance(key, str):
                    raise FormatProblem(
                        f"{_path(where, path)} has the key {quoted(key)}; keys must be strings"
                    )
                size += len(key) + 3
                stack.append((v, (path, key), depth + 1))
        else:
            raise FormatProblem(
                f"{_path(where, path)} is a {type(item).__name__}; only dict, list, str, int, "
                "float, bool and None can be stored"
            )
        if size > MAX_UI_BYTES:
            break
    if size <= MAX_UI_BYTES:  # characters ≤ bytes: only now is the exact size worth computing
        size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_UI_BYTES:
        raise FormatProblem(
            f"field {where} holds more than {MAX_UI_BYTES // 2**10} KiB of JSON "
            f"({size:,} bytes or more)"
        )


def _path(where: str, path: Any) -> str:
    """``ui['a'][3]`` from the nested ``(parent, key)`` tuples of :func:`check_json_value`."""
    parts: list[Any] = []
    while path is not None:
        path, part = path
        parts.append(part)
    return where + "".join(f"[{quoted(p)}]" for p in reversed(parts))


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
