"""Training throughput on a real text in stream mode: the engine vs torch.nn.LSTM, same run.

The corpus (bench/corpus.py: ~1 MB of Python's standard library sources, ~96 symbols)
is read as one sequence, cut into ``B`` contiguous streams and trained in windows of
``W`` steps with the state carried from window to window and no gradient flowing back
past a window's start (truncated BPTT, as char-rnn does).  One update = one window:
forward + mean cross-entropy + BPTT + global-norm clip (5) + Adam.  At the end of the
text the streams start again from a zero state.

Engine side: ``Trainer(..., stream=True)`` when the trainer has stream mode, else the
loop it runs (``Network.loss_and_grads(..., state=last_state)`` + ``clip_global_norm`` +
``make_optimizer``'s Adam); the output says which.  Torch side: ``nn.LSTM`` (time-major,
one-hot input) + ``nn.Linear`` + ``F.cross_entropy`` + ``clip_grad_norm_`` +
``torch.optim.Adam``, the state detached between windows, the same windows in the same
order.  Repeats alternate engine / torch; the ratio is the median of back-to-back pairs.
The NumPy floor (bench/floor.py) for the shape follows, with and without the read-out::

    .venv/bin/python bench/bench_corpus.py --quick      # a few seconds per row
    .venv/bin/python bench/bench_corpus.py              # ~1 minute per row
    .venv/bin/python bench/bench_corpus.py --engine bare --json /tmp/corpus.json
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from common import machine_info, pin_threads, print_machine
from corpus import corpus_text, describe, encode

LR, CLIP = 2e-3, 5.0
# Issue 14's floors: engine/torch tokens per second.
FLOOR = {"float32": 0.6, "float64": 1.0}
CLOCK: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


class Streams:
    """The text as ``B`` contiguous streams, ``W``-step windows: ``(W, B)`` inputs/targets."""

    def __init__(self, ids: list[int], B: int, W: int) -> None:
        import numpy as np

        data = np.asarray(ids, dtype=np.int64)
        length = (len(data) - 1) // B  # predictions per stream
        self.n_windows = length // W
        used = self.n_windows * W
        cols = np.stack([data[b * length : b * length + used + 1] for b in range(B)])  # (B, L+1)
        self.inputs = np.ascontiguousarray(cols[:, :-1].T)  # (used, B) time-major
        self.targets = np.ascontiguousarray(cols[:, 1:].T)
        self.B, self.W = B, W

    def window(self, k: int) -> tuple[Any, Any]:
        t = k * self.W
        return self.inputs[t : t + self.W], self.targets[t : t + self.W]


class Side:
    """One trainer: ``run(seconds)`` trains windows in order for at least that long."""

    name = ""

    def __init__(self, streams: Streams) -> None:
        self.streams = streams
        self.next = 0
        self.losses: list[float] = []

    def window(self) -> tuple[Any, Any, bool]:
        """The next window's inputs, targets and whether it starts the text again."""
        k = self.next
        self.next = (k + 1) % self.streams.n_windows
        return (*self.streams.window(k), k == 0)

    def update(self) -> None:
        raise NotImplementedError

    def windows(self) -> int:
        return len(self.losses)

    def recent_loss(self) -> float:
        """Mean loss over the last 50 windows."""
        return statistics.fmean(self.losses[-50:])

    def run(self, seconds: float, clock: Callable[[], float]) -> float:
        """Tokens per second over one repeat of at least ``seconds``."""
        n, start = 0, clock()
        while True:
            self.update()
            n += 1
            elapsed = clock() - start
            if elapsed >= seconds:
                return n * self.streams.B * self.streams.W / elapsed


def trainer_has_stream_mode() -> bool:
    from app.engine.trainer import Trainer

    return "stream" in inspect.signature(Trainer.__init__).parameters


class EngineLoop(Side):
    """The stream trainer's loop, bare: the state after each window starts the next."""

    name = "engine (bare loop)"

    def __init__(self, streams: Streams, V: int, H: int, dtype: str) -> None:
        import numpy as np

        from app.engine.batch import Batch
        from app.engine.config import ModelConfig, TrainConfig
        from app.engine.network import Network
        from app.engine.optim import clip_global_norm, make_optimizer

        super().__init__(streams)
        self.net = Network(ModelConfig(kind="lstm", vocab_size=V, hidden_size=H, dtype=dtype))
        self.params = self.net.init_params(np.random.default_rng(0))
        self.grads = self.params.zeros_like()
        config = TrainConfig(learning_rate=LR, clip_norm=CLIP, batch_size=streams.B)
        self.opt = make_optimizer(self.params.buffer.size, self.params.dtype, config)
        self.clip = clip_global_norm
        self.state: Any = None
        W, B = streams.W, streams.B
        mask = np.ones((W, B), dtype=bool)
        lengths = np.full(B, W, dtype=np.int64)
        self.make = lambda x, y: Batch(inputs=x, targets=y, mask=mask, lengths=lengths)

    def update(self) -> None:
        x, y, first = self.window()
        if first:
            self.state = None
        stats = self.net.loss_and_grads(self.params, self.make(x, y), self.grads, state=self.state)
        self.state = self.net.last_state
        self.clip(self.grads.buffer, CLIP)
        self.opt.step(self.params.buffer, self.grads.buffer, LR)
        self.losses.append(stats.loss)


class EngineTrainer(Side):
    """``Trainer(..., stream=True)`` running until a repeat's time is up (then it returns
    keeping its place, and the next repeat continues the epoch)."""

    name = "engine (Trainer, stream mode)"

    def __init__(self, ids: list[int], streams: Streams, V: int, H: int, dtype: str) -> None:
        from app.engine.config import ModelConfig, TrainConfig
        from app.engine.trainer import Trainer

        super().__init__(streams)
        model = ModelConfig(kind="lstm", vocab_size=V, hidden_size=H, dtype=dtype)
        train = TrainConfig(
            learning_rate=LR, clip_norm=CLIP, batch_size=streams.B, tbptt_window=streams.W
        )
        self.trainer = Trainer(model, train, [ids], stream=True, measure_start=False)  # type: ignore[call-arg]

    def windows(self) -> int:
        return self.trainer.total_updates

    def recent_loss(self) -> float:
        """Mean loss of the epoch so far (the trainer keeps running sums, not each window's)."""
        cur = self.trainer.cursor
        if cur is None or not cur.n_tokens:
            return self.losses[-1] if self.losses else float("nan")
        return cur.loss_sum / cur.n_tokens

    def update(self) -> None:
        raise NotImplementedError("the trainer runs whole repeats")

    def run(self, seconds: float, clock: Callable[[], float]) -> float:
        """The trainer's own loop, asked to stop once ``seconds`` have passed."""
        trainer = self.trainer
        before, start = trainer.total_updates, clock()
        stop_at = start + seconds
        for report in trainer.run(should_stop=lambda: clock() >= stop_at):
            self.losses.append(report.train_loss)
        n = trainer.total_updates - before
        return n * self.streams.B * self.streams.W / (clock() - start)


class Torch(Side):
    name = "torch"

    def __init__(self, streams: Streams, V: int, H: int, dtype: str) -> None:
        import torch
        import torch.nn.functional as F
        from torch import nn

        super().__init__(streams)
        self.torch, self.F, self.nn = torch, F, nn
        self.dtype = getattr(torch, dtype)
        torch.manual_seed(0)
        self.rnn = nn.LSTM(V, H, dtype=self.dtype)
        self.head = nn.Linear(H, V, dtype=self.dtype)
        self.weights = [*self.rnn.parameters(), *self.head.parameters()]
        self.opt = torch.optim.Adam(self.weights, lr=LR)
        self.V = V
        self.state: Any = None

    def update(self) -> None:
        torch, F = self.torch, self.F
        x, y, first = self.window()
        if first:
            self.state = None
        inputs = F.one_hot(torch.from_numpy(x), self.V).to(self.dtype)  # (W, B, V)
        self.opt.zero_grad(set_to_none=True)
        out, (h, c) = self.rnn(inputs, self.state)
        self.state = (h.detach(), c.detach())
        loss = F.cross_entropy(self.head(out).reshape(-1, self.V), torch.from_numpy(y).reshape(-1))
        loss.backward()
        self.nn.utils.clip_grad_norm_(self.weights, CLIP)
        self.opt.step()
        self.losses.append(float(loss.detach()))


def measure(sides: list[Side], seconds: float, repeats: int, clock: Callable[[], float]) -> Any:
    for side in sides:  # warm-up
        side.run(min(seconds / 3, 1.0), clock)
    rates: list[list[float]] = [[] for _ in sides]
    for _ in range(repeats):
        for side, r in zip(sides, rates, strict=True):
            r.append(side.run(seconds, clock))
    return rates


def floors(
    B: int, H: int, T: int, V: int, dtype: str, clock: Callable[[], float]
) -> tuple[float, float]:
    """Seconds per update of floor.py's bound, without and with the read-out."""
    from floor import best_time, floor_step

    return (
        best_time(floor_step(B, H, T, dtype), clock=clock),
        best_time(floor_step(B, H, T, dtype, vocab=V), clock=clock),
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a few seconds per row")
    p.add_argument("--batch", type=int, default=32, help="streams B (default 32)")
    p.add_argument("--window", type=int, default=64, help="window W (default 64)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size H (default 128)")
    p.add_argument("--dtypes", default="float32,float64")
    p.add_argument(
        "--engine",
        choices=("auto", "trainer", "bare"),
        default="auto",
        help="auto: the Trainer's stream mode if it exists, else the bare loop",
    )
    p.add_argument("--seconds", type=float, help="seconds per timed repeat (quick 1, default 6)")
    p.add_argument("--repeats", type=int, help="alternating repeats (quick 3, default 5)")
    p.add_argument("--clock", choices=CLOCK, default="wall", help="wall, or cpu (process) time")
    p.add_argument("--no-floor", action="store_true", help="skip the NumPy floor")
    p.add_argument("--json", help="write the results here")
    args = p.parse_args()
    pin_threads(1)
    import torch

    torch.set_num_threads(1)
    clock = CLOCK[args.clock]
    seconds = args.seconds or (1.0 if args.quick else 6.0)
    repeats = args.repeats or (3 if args.quick else 5)
    info = machine_info(1)
    print_machine(info)
    print(f"# {describe()}")
    text = corpus_text()
    vocab, (ids,) = encode([text])
    V, B, W, H = len(vocab), args.batch, args.window, args.hidden
    streams = Streams(ids, B, W)
    engine_kind = args.engine
    if engine_kind == "auto":
        engine_kind = "trainer" if trainer_has_stream_mode() else "bare"
    print(f"# stream mode: B={B} streams × {streams.n_windows} windows of W={W}, H={H}, V={V}, "
          f"Adam lr {LR}, clip {CLIP}; {repeats} alternating repeats of ≥ {seconds:g} s "
          f"({args.clock} clock)")  # fmt: skip
    head = (f"{'dtype':<8}{'engine tok/s':>13}{'torch tok/s':>12}{'ratio':>8}  {'floor':<11}"
            f"{'floor tok/s':>12}{'+read-out':>10}{'engine/floor':>13}")  # fmt: skip
    print(f"\n## tokens per second (higher is better); engine = {engine_kind}")
    print(head + "\n" + "-" * len(head), flush=True)
    rows = []
    for dtype in args.dtypes.split(","):
        engine: Side
        if engine_kind == "trainer":
            try:
                engine = EngineTrainer(ids, streams, V, H, dtype)
            except (TypeError, ValueError) as exc:  # stream mode's API is not what we guessed
                print(f"# Trainer(..., stream=True) failed ({exc}): measuring the bare loop")
                engine_kind = "bare"
        if engine_kind == "bare":
            engine = EngineLoop(streams, V, H, dtype)
        tside = Torch(streams, V, H, dtype)
        eng_all, tor_all = measure([engine, tside], seconds, repeats, clock)
        ratio = statistics.median(e / t for e, t in zip(eng_all, tor_all, strict=True))
        eng, tor = statistics.median(eng_all), statistics.median(tor_all)
        goal = FLOOR[dtype]
        floor_s = floor_r = float("nan")
        if not args.no_floor:
            floor_s, floor_r = floors(B, H, W, V, dtype, clock)
        tokens = B * W
        verdict = f"≥{goal:.1f}× {'PASS' if ratio >= goal else 'FAIL'}"
        print(f"{dtype:<8}{eng:13.0f}{tor:12.0f}{ratio:7.2f}×  {verdict:<11}"
              f"{tokens / floor_s:12.0f}{tokens / floor_r:10.0f}"
              f"{eng / (tokens / floor_r):12.2f}×", flush=True)  # fmt: skip
        rows.append(dict(dtype=dtype, engine=eng, torch=tor, ratio=ratio, target=goal,
                         passed=ratio >= goal, engine_repeats=eng_all, torch_repeats=tor_all,
                         floor_tokens_per_s=tokens / floor_s,
                         floor_readout_tokens_per_s=tokens / floor_r,
                         engine_windows=engine.windows(), torch_windows=tside.windows(),
                         engine_last_loss=engine.recent_loss(),
                         torch_last_loss=tside.recent_loss()))  # fmt: skip
    print("\nmean loss over each side's last 50 windows (same windows in the same order, "
          "a sanity check that both learn):")  # fmt: skip
    for r in rows:
        print(f"  {r['dtype']}: engine {r['engine_last_loss']:.3f} after {r['engine_windows']} "
              f"windows, torch {r['torch_last_loss']:.3f} after {r['torch_windows']}")  # fmt: skip
    print(
        "floor: bench/floor.py's bound (recurrent GEMMs + one squashing pass); +read-out adds "
        "h·Wy, its two gradient products and one exp pass over the logits"
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "engine": engine_kind, "B": B, "W": W, "H": H, "V": V,
                       "rows": rows}, f, indent=1)  # fmt: skip


if __name__ == "__main__":
    main()
