"""Parameters live in one flat buffer; the named arrays users see are views into it.

One buffer means the optimiser, gradient clipping and snapshotting each touch a
single contiguous array with a handful of NumPy calls, whatever the model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

Shapes = Mapping[str, tuple[int, ...]]


class ParamSet(Mapping[str, np.ndarray]):
    """Named views (``Wx``, ``Wh``, ``b``, …) into one flat ``buffer``."""

    def __init__(self, shapes: Shapes, dtype: np.dtype | str, buffer: np.ndarray | None = None):
        self.shapes = dict(shapes)
        sizes = [int(np.prod(s)) for s in self.shapes.values()]
        total = sum(sizes)
        if buffer is None:
            buffer = np.zeros(total, dtype=dtype)
        if buffer.shape != (total,) or buffer.dtype != np.dtype(dtype):
            raise ValueError(f"buffer must be ({total},) {np.dtype(dtype)}")
        self.buffer = buffer
        self._views: dict[str, np.ndarray] = {}
        start = 0
        for (name, shape), size in zip(self.shapes.items(), sizes, strict=True):
            self._views[name] = buffer[start : start + size].reshape(shape)
            start += size

    def __getitem__(self, name: str) -> np.ndarray:
        return self._views[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)

    @property
    def dtype(self) -> np.dtype:
        return self.buffer.dtype

    def zeros_like(self) -> ParamSet:
        return ParamSet(self.shapes, self.buffer.dtype)

    def copy(self) -> ParamSet:
        return ParamSet(self.shapes, self.buffer.dtype, self.buffer.copy())

    def assign(self, arrays: Mapping[str, np.ndarray]) -> None:
        """Copy named arrays in (shapes must match exactly)."""
        for name, view in self._views.items():
            value = np.asarray(arrays[name])
            if value.shape != view.shape:
                raise ValueError(f"{name}: expected shape {view.shape}, got {value.shape}")
            view[...] = value

    def as_dict(self) -> dict[str, np.ndarray]:
        """Independent copies of every named array."""
        return {name: view.copy() for name, view in self._views.items()}
