"""How long does an intervened view take to recompute?  Issue 13's target: < 100 ms.

An LSTM (and a GRU) of hidden size 128 with random weights reads one 50-step sequence
(vocabulary 30).  In the same run, alternating so load hits all alike, it times the
plain forward pass (``trace_sequence``, what every view draws today) and the same
sequence under each kind of intervention (``trace_sequence(..., intervention)``): a
clamp on every unit, a clamp on chosen units, a knockout (the slowest: every step is
its own piece), a wipe, and all of them together.  Medians and p90 in milliseconds.
Run from the repo root::

    .venv/bin/python bench/bench_intervene.py [--repeats 200] [--hidden 128] [--steps 50]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable

from common import machine_info, pin_threads, print_machine

TARGET_MS = 100.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=200)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--vocab", type=int, default=30)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    pin_threads(args.threads)
    import numpy as np

    from app.engine.config import ModelConfig
    from app.engine.gates import Clamp
    from app.engine.inference import trace_sequence
    from app.engine.intervene import ALL, Intervention
    from app.engine.network import Network

    print_machine(machine_info(args.threads))
    H, T = args.hidden, args.steps
    ids = np.random.default_rng(1).integers(0, args.vocab, size=T)
    some = tuple(range(0, H, 3))
    worst = 0.0
    for kind, gate in (("lstm", "forget"), ("gru", "update")):
        network = Network(ModelConfig(kind=kind, vocab_size=args.vocab, hidden_size=H))
        params = network.init_params(np.random.default_rng(0))
        cases: dict[str, Intervention | None] = {
            "plain forward (no intervention)": None,
            f"clamp {gate}=0, every unit": Intervention(clamps=(Clamp(gate, 0.0),)),
            f"clamp {gate}=1, every third unit": Intervention(clamps=(Clamp(gate, 1.0, some),)),
            "knockout every third unit": Intervention(knockout=some),
            "knockout all": Intervention(knockout=ALL),
            f"wipe after step {T // 2}": Intervention(wipe_after=T // 2),
            "all of them": Intervention(
                clamps=(Clamp(gate, 0.0), Clamp("candidate", 0.0, some)),
                knockout=some[:5],
                wipe_after=T // 2,
            ),
        }
        runs: dict[str, Callable[[], object]] = {
            name: functools.partial(trace_sequence, network, params, ids, iv)
            for name, iv in cases.items()
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        for run in runs.values():  # warm-up
            run()
        for _ in range(args.repeats):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                times[name].append(1000 * (time.perf_counter() - start))
        print(f"\n## {kind.upper()}, hidden {H}, {T} steps, vocabulary {args.vocab}: "
              f"ms per recomputed view (median, p90 of {args.repeats})")  # fmt: skip
        for name, ms in times.items():
            ms.sort()
            median, p90 = statistics.median(ms), ms[int(0.9 * (len(ms) - 1))]
            print(f"  {name:<34} {median:8.2f} {p90:8.2f}")
            if cases[name] is not None:
                worst = max(worst, p90)
    verdict = "PASS" if worst < TARGET_MS else "FAIL"
    print(f"\nslowest intervened view (p90): {worst:.2f} ms; target < {TARGET_MS:g} ms: {verdict}")


if __name__ == "__main__":
    main()
