"""How close can any NumPy LSTM get to the torch targets?  A lower bound per update.

Any exact-BPTT LSTM update written with NumPy (one thread, the same OpenBLAS) must at
least:

* make the recurrent matrix products: per step ``h @ Wh`` forward and ``dz @ Whᵀ``
  backward (the recurrence forbids batching them over time), and ``dWh`` once over the
  whole sequence (batched: the cheapest way there is);
* squash every gate pre-activation once and the memory once, timed here as single
  whole-sequence calls, cheaper than any real loop can do them: ``exp`` over the
  ``T·B·3H`` sigmoid gates' values (σ = 1 / (1 + e^{−x}), the cheapest of NumPy's
  ways: its float64 ``tanh`` costs ~3× its ``exp`` on CPUs without AVX-512; until
  issue 14 this bound took ``tanh`` of all ``T·B·4H``, as the engine then did) and
  ``tanh`` over the candidate's ``T·B·H`` and the memory's ``T·B·H``.

Everything else (the products of gates, the derivative arithmetic, the read-out,
softmax, Adam, NumPy's per-call overhead) is left out, so the real floor is higher.
This script times that bound and sets it against the time per update that the
issue's target allows (torch's time ÷ target ratio), measured in the same process::

    .venv/bin/python bench/floor.py                         # the rows that missed
    .venv/bin/python bench/floor.py --rows 32,128,64,float32 --rows 32,512,64,float64

"floor/allowed" above 1.00 means the target cannot be met by any NumPy engine of this
kind on this machine: the bound alone takes longer than the target allows.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from common import machine_info, pin_threads, print_machine

# The LSTM rows of bench/RESULTS.md that missed their target (B, H, T, dtype).
MISSED = [
    (32, 32, 64, "float32"),
    (32, 128, 16, "float32"),
    (32, 128, 64, "float32"),
    (32, 32, 16, "float64"),
    (32, 32, 64, "float64"),
    (32, 32, 256, "float64"),
    (32, 128, 16, "float64"),
    (32, 128, 64, "float64"),
    (32, 128, 256, "float64"),
    (32, 512, 16, "float64"),
    (32, 512, 64, "float64"),
    (32, 512, 256, "float64"),
    (1, 512, 16, "float64"),
    (1, 512, 64, "float64"),
]


def best_time(
    fn: Callable[[], None],
    min_time: float = 0.4,
    repeats: int = 5,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median seconds per call over ``repeats`` runs of at least ``min_time`` each
    (``clock``: wall time, or e.g. ``time.process_time`` on a busy machine)."""
    fn()
    times = []
    for _ in range(repeats):
        n, start = 0, clock()
        while True:
            fn()
            n += 1
            elapsed = clock() - start
            if elapsed >= min_time:
                break
        times.append(elapsed / n)
    return statistics.median(times)


def floor_step(B: int, H: int, T: int, dtype: str, vocab: int = 0) -> Callable[[], None]:
    """The bound's work for one update, on preallocated arrays.

    ``vocab`` > 0 adds the read-out's unavoidable work for that vocabulary: the logits
    ``h Wy`` over all ``T·B`` steps at once, its two gradient products (``hᵀ dlogits``
    and ``dlogits Wyᵀ``) and one ``exp`` pass over the logits (the softmax's sums,
    the loss and Adam still left out).
    """
    import numpy as np

    rng = np.random.default_rng(0)
    wh = rng.standard_normal((H, 4 * H)).astype(dtype)
    whT = wh.T
    hs = rng.standard_normal((T + 1, B, H)).astype(dtype)
    z = rng.standard_normal((T, B, 4 * H)).astype(dtype)
    c = rng.standard_normal((T, B, H)).astype(dtype)
    dz = rng.standard_normal((T, B, 4 * H)).astype(dtype)
    out4 = np.empty((B, 4 * H), dtype)
    outh = np.empty((B, H), dtype)
    dwh = np.empty((H, 4 * H), dtype)
    squashed = np.empty_like(z)
    squashed_c = np.empty_like(c)
    fio, g = z[:, :, : 3 * H], z[:, :, 3 * H :]
    fio_out, g_out = squashed[:, :, : 3 * H], squashed[:, :, 3 * H :]

    def step() -> None:
        for t in range(T):
            np.matmul(hs[t], wh, out=out4)
        for t in range(T - 1, -1, -1):
            np.matmul(dz[t], whT, out=outh)
        np.matmul(hs[:-1].reshape(T * B, H).T, dz.reshape(T * B, 4 * H), out=dwh)
        np.exp(fio, out=fio_out)
        np.tanh(g, out=g_out)
        np.tanh(c, out=squashed_c)

    if not vocab:
        return step
    wy = rng.standard_normal((H, vocab)).astype(dtype) / np.sqrt(H)
    flat = hs[1:].reshape(T * B, H)
    logits = np.empty((T * B, vocab), dtype)
    dwy = np.empty((H, vocab), dtype)
    dflat = np.empty((T * B, H), dtype)

    def step_with_readout() -> None:
        step()
        np.matmul(flat, wy, out=logits)
        np.exp(logits, out=logits)
        np.matmul(flat.T, logits, out=dwy)
        np.matmul(logits, wy.T, out=dflat)

    return step_with_readout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", action="append", help="B,H,T,dtype (repeatable)")
    args = parser.parse_args()
    pin_threads(1)
    print_machine(machine_info(1))
    from bench_engine import engine_step, make_data, target, torch_step

    rows = MISSED
    if args.rows:
        rows = [(int(b), int(h), int(t), d) for b, h, t, d in (r.split(",") for r in args.rows)]
    print("## A lower bound for any NumPy LSTM update vs the time the target allows (ms)")
    print(f"{'B':>3} {'H':>4} {'T':>4} {'dtype':8} {'torch':>8} {'target':>7} {'allowed':>8} "
          f"{'floor':>8} {'engine':>8} {'floor/allowed':>14}")  # fmt: skip
    for B, H, T, dtype in rows:
        batch = make_data(B, T)
        torch = torch_step("lstm", H, dtype, batch)
        wanted = target(dtype, H, T)
        if torch is None or wanted is None:
            print(f"{B:>3} {H:>4} {T:>4} {dtype:8} (no torch or no target)")
            continue
        t_torch = best_time(torch)
        t_floor = best_time(floor_step(B, H, T, dtype))
        t_engine = best_time(engine_step("lstm", H, dtype, batch))
        allowed = t_torch / wanted
        verdict = "  out of reach" if t_floor > allowed else ""
        print(
            f"{B:>3} {H:>4} {T:>4} {dtype:8} {1e3 * t_torch:8.2f} {wanted:6.1f}× "
            f"{1e3 * allowed:8.2f} {1e3 * t_floor:8.2f} {1e3 * t_engine:8.2f} "
            f"{t_floor / allowed:13.2f}×{verdict}"
        )


if __name__ == "__main__":
    main()
