"""Training throughput of the NumPy engine, side by side with PyTorch in the same process.

One update = forward + mean cross-entropy + exact BPTT + global-norm clip + Adam step on
a fixed random batch, exactly as ``app.engine.trainer`` does it.  Run from the repo root::

    .venv/bin/python bench/bench_engine.py [--quick] [--threads 1] [--json out.json]
    .venv/bin/python bench/bench_engine.py --profile 32,128,64,float32[,lstm]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from itertools import product
from typing import Any

from common import machine_info, pin_threads, print_machine

V, LR, CLIP = 8, 1e-3, 5.0  # one-hot vocabulary, learning rate, clip norm
Step = Callable[[], None]
# Wall time by default; --clock cpu counts only this process's CPU time, which a busy
# shared machine disturbs far less (valid with --threads 1: one thread does the work).
CLOCK: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCK["wall"]


def ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",")]


def make_data(B: int, T: int, seed: int = 0) -> Any:
    """A fixed random batch of ``B`` sequences of ``T + 1`` symbols (``T`` predictions)."""
    import numpy as np

    from app.engine.batch import make_batch

    seqs = np.random.default_rng(seed).integers(0, V, size=(B, T + 1))
    return make_batch(list(seqs))


def engine_step(kind: str, H: int, dtype: str, batch: Any) -> Step:
    """The trainer's inner loop, minus its bookkeeping, on one fixed batch."""
    import numpy as np

    from app.engine.config import ModelConfig, TrainConfig
    from app.engine.network import Network
    from app.engine.optim import Adam, clip_global_norm

    net = Network(ModelConfig(kind=kind, vocab_size=V, hidden_size=H, dtype=dtype))
    params = net.init_params(np.random.default_rng(0))
    grads = params.zeros_like()
    opt = Adam(params.buffer.size, params.dtype, TrainConfig(learning_rate=LR, clip_norm=CLIP))

    def step() -> None:
        net.loss_and_grads(params, batch, grads)
        clip_global_norm(grads.buffer, CLIP)
        opt.step(params.buffer, grads.buffer, LR)

    return step


def torch_step(kind: str, H: int, dtype: str, batch: Any) -> Step | None:
    """The same update in PyTorch: nn.LSTM/GRU/RNN (time-major) + Linear + cross-entropy."""
    try:
        import torch
        import torch.nn.functional as F
        from torch import nn
    except ImportError:
        return None
    tdt = getattr(torch, dtype)
    cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
    torch.manual_seed(0)
    rnn = cls(V, H, batch_first=False, dtype=tdt)
    head = nn.Linear(H, V, dtype=tdt)
    weights = [*rnn.parameters(), *head.parameters()]
    opt = torch.optim.Adam(weights, lr=LR)
    x = F.one_hot(torch.from_numpy(batch.inputs), V).to(tdt)  # (T, B, V)
    y = torch.from_numpy(batch.targets).reshape(-1)  # (T*B,)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        out, _ = rnn(x)  # (T, B, H)
        loss = F.cross_entropy(head(out).reshape(-1, V), y)
        loss.backward()
        nn.utils.clip_grad_norm_(weights, CLIP)
        opt.step()

    return step


def rate(step: Step, min_time: float) -> float:
    """Updates per second over one repeat: run until at least ``min_time`` has passed."""
    n, start = 0, clock()
    while True:
        step()
        n += 1
        elapsed = clock() - start
        if elapsed >= min_time:
            return n / elapsed


def measure(steps: Sequence[Step | None], min_time: float, repeats: int) -> list[float | None]:
    """Median updates/s of each step (None stays None)."""
    rates = measure_all(steps, min_time, repeats)
    return [statistics.median(r) if r else None for r in rates]


def measure_all(steps: Sequence[Step | None], min_time: float, repeats: int) -> list[list[float]]:
    """Updates/s of every repeat of each step; repeats alternate so load hits all alike."""
    live = [s for s in steps if s is not None]
    for s in live:  # warm-up: allocations, oneDNN primitives, caches
        start = clock()
        s()
        if clock() - start < min_time / 3:
            rate(s, min_time / 3)
    rates: dict[int, list[float]] = {id(s): [] for s in live}
    for _ in range(repeats):
        for s in live:
            rates[id(s)].append(rate(s, min_time))
    return [[] if s is None else rates[id(s)] for s in steps]


def target(dtype: str, H: int, T: int) -> float | None:
    """The engine/torch ratio the lead must reach (None: no target for this size)."""
    if dtype == "float64":
        return 2.0
    return 1.0 if T <= 64 and H <= 128 else None


def run_grid(args: argparse.Namespace, model: str, grid: tuple[list[int], ...]) -> list[dict]:
    batches, hiddens, lengths = grid
    rows: list[dict] = []
    print(f"\n## {model.upper()}: updates per second (higher is better), threads={args.threads}, "
          f"clock={args.clock}")  # fmt: skip
    head = f"{'B':>3} {'H':>4} {'T':>4} {'dtype':<8}{'engine':>10}{'torch':>10}{'ratio':>8}  target"
    print(head + "\n" + "-" * (len(head) + 6), flush=True)
    for B, H, T, dtype in product(batches, hiddens, lengths, args.dtypes.split(",")):
        batch = make_data(B, T)
        pair: list[Step | None] = [engine_step(model, H, dtype, batch)]
        pair.append(None if args.no_torch else torch_step(model, H, dtype, batch))
        eng_all, tor_all = measure_all(pair, args.min_time, args.repeats)
        eng = statistics.median(eng_all)
        tor = statistics.median(tor_all) if tor_all else None
        # Median of back-to-back pairs: a load spike slows one pair, not the verdict.
        pairs = zip(eng_all, tor_all, strict=True) if tor_all else ()
        ratio = statistics.median([e / t for e, t in pairs]) if tor_all else None
        goal = target(dtype, H, T)
        passed = None if goal is None or ratio is None else ratio >= goal
        rows.append(dict(model=model, B=B, H=H, T=T, dtype=dtype, engine=eng, torch=tor,
                         ratio=ratio, target=goal, passed=passed, engine_repeats=eng_all,
                         torch_repeats=tor_all))  # fmt: skip
        tor_s = f"{tor:10.1f}" if tor else f"{'—':>10}"
        ratio_s = f"{ratio:7.2f}×" if ratio else f"{'—':>8}"
        verdict = "" if passed is None else f"≥{goal:.1f}× {'PASS' if passed else 'FAIL'}"
        print(f"{B:>3} {H:>4} {T:>4} {dtype:<8}{eng:10.1f}{tor_s}{ratio_s}  {verdict}", flush=True)
    return rows


def trainer_overhead(args: argparse.Namespace) -> list[dict]:
    """Trainer.run end to end (batching, checkpoints, divergence checks, snapshots) vs bare."""
    import numpy as np

    from app.engine.config import ModelConfig, TrainConfig
    from app.engine.trainer import Trainer

    B, H, T, n_batches = 32, 32, 64, 16
    print(f"\n## Trainer.run vs the bare update, LSTM B={B} H={H} T={T}, {n_batches} updates/epoch")
    rows = []
    for dtype in args.dtypes.split(","):
        seqs = list(np.random.default_rng(0).integers(0, V, size=(B * n_batches, T + 1)))
        trainer = Trainer(
            ModelConfig(kind="lstm", vocab_size=V, hidden_size=H, dtype=dtype),
            TrainConfig(learning_rate=LR, clip_norm=CLIP, batch_size=B),
            seqs,
        )
        reported: list[float] = []

        def epoch(trainer: Trainer = trainer, reported: list[float] = reported) -> None:
            (report,) = trainer.run(epochs=1)
            reported.append(report.updates_per_second)

        bare_step = engine_step("lstm", H, dtype, make_data(B, T))
        bare, epochs = measure([bare_step, epoch], args.min_time, args.repeats)
        assert bare is not None and epochs is not None
        wall, loop = epochs * n_batches, statistics.median(reported)
        print(
            f"{dtype:<8} bare {bare:7.1f} upd/s | Trainer.run {wall:7.1f} upd/s wall "
            f"({100 * (1 - wall / bare):+.0f}% overhead; its reports say {loop:.1f})"
        )
        rows.append(dict(dtype=dtype, B=B, H=H, T=T, bare=bare, loop=loop, wall=wall))
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP/torch threads (default 1)")
    p.add_argument("--quick", action="store_true", help="a small subset of the grid (~1 minute)")
    p.add_argument("--models", default="lstm,gru,rnn", help="lstm gets the full grid, others less")
    p.add_argument("--full", action="store_true", help="the full grid for GRU and RNN too")
    p.add_argument("--batch", type=ints, help="override B values, e.g. 1,32")
    p.add_argument("--hidden", type=ints, help="override H values, e.g. 8,32,128,512")
    p.add_argument("--steps", type=ints, help="override T values, e.g. 16,64,256")
    p.add_argument("--dtypes", default="float32,float64")
    p.add_argument("--min-time", type=float, default=0.3, help="seconds per timed repeat")
    p.add_argument("--repeats", type=int, default=3, help="median of this many repeats")
    p.add_argument("--clock", choices=CLOCK, default="wall", help="wall, or cpu (process) time")
    p.add_argument("--no-torch", action="store_true", help="time the engine only")
    p.add_argument("--no-trainer", action="store_true", help="skip the Trainer.run overhead line")
    p.add_argument("--json", help="write the results here")
    p.add_argument("--profile", metavar="B,H,T,DTYPE[,MODEL]", help="per-phase breakdown only")
    args = p.parse_args()
    pin_threads(args.threads)  # re-executes before numpy loads if the env is not set yet
    global clock
    clock = CLOCK[args.clock]
    try:
        import torch

        torch.set_num_threads(args.threads)
    except ImportError:
        args.no_torch = True
    info = machine_info(args.threads)
    print_machine(info)
    if args.profile:
        from profile_engine import profile

        B, H, T, dtype, *rest = args.profile.split(",")
        profile(rest[0] if rest else "lstm", int(B), int(H), int(T), dtype, args.no_torch)
        return
    full = ([1, 32], [8, 32, 128, 512], [16, 64, 256])
    small = ([1, 32], [32, 128, 512], [64])
    if args.quick:
        full, small = ([1, 32], [32, 128], [16, 64]), ([1, 32], [128], [64])
    results: dict[str, Any] = {"machine": info, "rows": []}
    for model in args.models.split(","):
        grid = full if model == "lstm" or args.full else small
        grid = (args.batch or grid[0], args.hidden or grid[1], args.steps or grid[2])
        results["rows"] += run_grid(args, model, grid)
    if not args.no_trainer:
        results["trainer"] = trainer_overhead(args)
    fails = [r for r in results["rows"] if r["passed"] is False]
    print(f"\n{len(fails)} of {sum(r['passed'] is not None for r in results['rows'])} "
          f"targeted rows FAIL")  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
