"""Where one engine update spends its time: ``bench_engine.py --profile B,H,T,dtype[,model]``.

Phases are timed by wrapping the cell's ``forward``/``backward`` and the network's
softmax read-out (the engine is not modified), then the BLAS calls of the time loops
are timed alone, so the gap between the two is elementwise work plus per-call Python
overhead.  A cProfile listing follows.
"""

from __future__ import annotations

import cProfile
import ctypes
import io
import pstats
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_engine import CLIP, LR, V, engine_step, make_data, measure, torch_step

from app.engine.config import ModelConfig, TrainConfig
from app.engine.network import Network
from app.engine.optim import Adam, clip_global_norm


class Clock:
    """Accumulates seconds per phase name."""

    def __init__(self) -> None:
        self.total: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.total[name] = self.total.get(name, 0.0) + time.perf_counter() - start

        return timed

    def add(self, name: str, seconds: float) -> None:
        self.total[name] = self.total.get(name, 0.0) + seconds


class TimedCell:
    """Delegates to a cell, timing ``forward`` and ``backward``."""

    def __init__(self, cell: Any, clock: Clock) -> None:
        self._cell = cell
        self.forward = clock.wrap("forward loop (cell.forward)", cell.forward)
        self.backward = clock.wrap("backward loop (cell.backward)", cell.backward)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cell, name)


def per_call(fn: Callable[[], Any], calls: int, min_time: float = 0.2) -> float:
    """Seconds per call of ``fn`` (``calls`` calls per timed round, best of a few rounds)."""
    best = float("inf")
    end = time.perf_counter() + min_time
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
        if time.perf_counter() > end:
            return best


def minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks (≤ 32 MB) instead of unmapping/trimming them."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    return bool(libc.mallopt(M_MMAP_THRESHOLD, 1 << 25) and libc.mallopt(M_TRIM_THRESHOLD, 1 << 30))


def blas_floor(Wh: np.ndarray, B: int, T: int) -> dict[str, float]:
    """Seconds per update of the loops' matrix products alone (same shapes, no Python)."""
    H, G = Wh.shape  # G = 4H (LSTM), 3H (GRU), H (RNN)
    h, z = np.ones((B, H), Wh.dtype), np.ones((B, G), Wh.dtype)
    out_g, out_h = np.empty((B, G), Wh.dtype), np.empty((B, H), Wh.dtype)
    whT = np.ascontiguousarray(Wh.T)
    hs, dz = np.ones((T * B, H), Wh.dtype), np.ones((T * B, G), Wh.dtype)
    grad = np.empty((H, G), Wh.dtype)
    return {
        "fwd": T * per_call(lambda: np.matmul(h, Wh, out=out_g), 50),
        "bwd": T * per_call(lambda: np.matmul(z, whT, out=out_h), 50),
        "dWh": per_call(lambda: np.matmul(hs.T, dz, out=grad), 3),
    }


def profile(kind: str, B: int, H: int, T: int, dtype: str, no_torch: bool) -> None:
    batch = make_data(B, T)
    net = Network(ModelConfig(kind=kind, vocab_size=V, hidden_size=H, dtype=dtype))
    params = net.init_params(np.random.default_rng(0))
    grads = params.zeros_like()
    opt = Adam(params.buffer.size, params.dtype, TrainConfig(learning_rate=LR, clip_norm=CLIP))
    clock = Clock()
    net.cell = TimedCell(net.cell, clock)
    for softmax in ("_probs_vn", "_logits_to_probs"):  # the read-out's name over time
        if hasattr(net, softmax):  # an instance attribute shadows the method
            setattr(net, softmax, clock.wrap("read-out softmax", getattr(net, softmax)))
            break
    loss_and_grads = clock.wrap("loss_and_grads (total)", net.loss_and_grads)
    clip = clock.wrap("clip_global_norm", clip_global_norm)
    adam = clock.wrap("Adam.step", opt.step)

    def step() -> None:
        loss_and_grads(params, batch, grads)
        clip(grads.buffer, CLIP)
        adam(params.buffer, grads.buffer, LR)

    for _ in range(2):
        step()
    clock.total.clear()
    n, start, faults0 = 0, time.perf_counter(), minor_faults()
    while n < 3 or time.perf_counter() - start < 1.0:
        step()
        n += 1
    wall = (time.perf_counter() - start) / n
    faults = (minor_faults() - faults0) / n
    t = {k: v / n for k, v in clock.total.items()}
    lag = t.pop("loss_and_grads (total)")
    inside = sum(v for k, v in t.items() if "loop" in k or "softmax" in k)
    t["loss, d_logits, read-out grads"] = lag - inside
    t["timing/other"] = wall - lag - t["clip_global_norm"] - t["Adam.step"]

    print(f"\n## Profile: {kind} B={B} H={H} T={T} {dtype} — {1 / wall:.1f} upd/s "
          f"({1e3 * wall:.2f} ms/update over {n} updates, wrappers included)")  # fmt: skip
    if not no_torch and (ts := torch_step(kind, H, dtype, batch)) is not None:
        tr = measure([ts], 0.3, 3)[0] or float("nan")
        print(f"torch: {tr:.1f} upd/s → engine/torch {1 / wall / tr:.2f}× (with wrappers)")
    print(f"{'phase':<34}{'ms/upd':>9}{'share':>8}{'µs/step':>9}")
    for name, sec in sorted(t.items(), key=lambda kv: -kv[1]):
        step_us = f"{1e6 * sec / T:9.1f}" if "loop" in name else ""
        print(f"{name:<34}{1e3 * sec:9.3f}{100 * sec / wall:7.1f}%{step_us}")

    floor = blas_floor(params["Wh"], B, T)
    fwd = t.get("forward loop (cell.forward)", float("nan"))
    bwd = t.get("backward loop (cell.backward)", float("nan"))
    G = np.ones((B, params["Wh"].shape[1]), params.dtype)  # a step's fused gates
    c, tiny = np.ones((B, H), params.dtype), np.ones(1, params.dtype)
    gate_us = 1e6 * per_call(lambda: np.multiply(G[:, :H], c, out=c), 200)
    call_us = 1e6 * per_call(lambda: np.multiply(tiny, tiny, out=tiny), 500)
    print(f"\nBLAS alone: forward h@Wh ×{T} = {1e3 * floor['fwd']:.3f} ms "
          f"({100 * floor['fwd'] / fwd:.0f}% of the forward loop); backward dz@Whᵀ ×{T} = "
          f"{1e3 * floor['bwd']:.3f} ms + dWh = {1e3 * floor['dWh']:.3f} ms "
          f"({100 * (floor['bwd'] + floor['dWh']) / bwd:.0f}% of the backward loop)")  # fmt: skip
    rest_f, rest_b = (fwd - floor["fwd"]) / T, (bwd - floor["bwd"] - floor["dWh"]) / T
    print(f"Not BLAS: {1e6 * rest_f:.1f} µs/step forward, {1e6 * rest_b:.1f} µs/step backward "
          f"(elementwise maths, whole-sequence temporaries, Python).  For scale: one ufunc on a "
          f"gate slice (B,H) of (B,{G.shape[1]}) costs {gate_us:.2f} µs, on a 1-element array "
          f"{call_us:.2f} µs (pure call overhead)")  # fmt: skip
    print(f"Fresh memory: {faults:.0f} minor page faults per update (freed big temporaries "
          f"go back to the OS and fault in again on the next call)")  # fmt: skip
    plain = engine_step(kind, H, dtype, batch)
    before = measure([plain], 0.5, 3)[0] or float("nan")
    if keep_freed_memory():
        after = measure([plain], 0.5, 3)[0] or float("nan")
        f0 = minor_faults()
        plain()
        kept = minor_faults() - f0
        print(f"With glibc told to keep freed memory (mallopt; what preallocated buffers would "
              f"give): {before:.1f} → {after:.1f} upd/s ({after / before:.2f}×), "
              f"{kept} faults/update after")  # fmt: skip

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(max(3, min(n, 50))):
        step()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(14)
    lines = out.getvalue().splitlines()
    start_at = next((i for i, s in enumerate(lines) if "ncalls" in s), 0)
    print("\ncProfile (tottime; NumPy ufuncs count inside their caller):")
    print("\n".join(line[:140] for line in lines[start_at:] if line.strip()))
