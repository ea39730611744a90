"""Which bias initialisation learns fastest: epochs and seconds to the target, per scheme.

Every scheme of ``ModelConfig.bias_init`` (``zero``: zero biases + forget bias 1, the
scheme of every project before issue 14; ``torch``: PyTorch's default, each cell bias the
sum of two U(−1/√H, 1/√H) draws; ``torch+forget``: PyTorch's plus the forget bias) on

* every preset, with its recommended settings (only ``bias_init`` changes);
* long-lag tasks written here (the data are fixed by ``--data-seed``; the training seed
  varies the initial weights and the shuffling):

  ``lag-L``  ``K d_1 … d_L ? K``: a key ``K`` (one of A B C D), ``L`` random distractors
             (a … h), a cue ``?``, then the key again.  Scored: the key after the cue.
  ``adding`` the adding problem in symbols: 20 digits 0…4, two of them marked (``3*``),
             one in each half, then ``=`` and the sum as one symbol (``s0`` … ``s8``).
             Scored: the sum after ``=``.
  ``reber`` the embedded Reber grammar (B T|P <Reber string> T|P E; Reber string
             B … E).  Scored: every next symbol the grammar fixes given the prefix (after
             the first T/P comes B, after an inner S/V before E comes E, after the inner E
             the T or P said at the start — the long-lag one — and then E).

The target is 100 % accuracy on the scored positions: for the tasks on 256 held-out
sequences of the same kind; for the presets on the training lines at every prediction the
line so far determines (``app.data.predictable.prefix_determined``), for ``forget-stream``
at every answer after ``?``.  Accuracy is checked after every epoch; seconds are the
trainer's own (updates only, no checks).  A run that misses the target by the cap counts
as ``>cap``; a median that is ``>cap`` means most seeds failed.

Run from the repo root (one thread per run; 29 minutes with ``--jobs 2`` on a busy
shared 2-core machine)::

    .venv/bin/python bench/bench_init.py [--quick] [--jobs 2] [--models lstm,gru] [--json F]
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common import machine_info, pin_threads, print_machine

SCHEMES = ("zero", "torch", "torch+forget")
N_TRAIN, N_HELD_OUT = 1024, 256
KEYS, DISTRACTORS = tuple("ABCD"), tuple("abcdefgh")


@dataclass
class Task:
    """Sequences as symbol lists, what to score, and the settings to learn them with."""

    name: str
    train: list[list[str]]
    held_out: list[list[str]] | None  # None: score the training lines
    scored: Callable[[list[str]], list[bool]]  # per prediction t: is s[t+1] scored?
    hidden: int
    lr: float
    batch: int
    optimizer: str
    clip: float
    cap: int
    goal: float = 1.0  # accuracy on the scored positions that counts as learned


# -- the long-lag tasks ------------------------------------------------------------------


def lag_line(rng: Any, lag: int) -> list[str]:
    key = str(rng.choice(KEYS))
    return [key, *(str(d) for d in rng.choice(DISTRACTORS, size=lag)), "?", key]


def adding_line(rng: Any, length: int = 10) -> list[str]:
    digits = rng.integers(0, 5, size=length)
    first, second = rng.integers(0, length // 2), rng.integers(length // 2, length)
    line = [str(d) for d in digits]
    line[first] += "*"
    line[second] += "*"
    return [*line, "=", f"s{digits[first] + digits[second]}"]


# The Reber grammar: state -> [(symbol, next state)]; state 5 ends with E.
REBER = {0: [("T", 1), ("P", 2)], 1: [("S", 1), ("X", 3)], 2: [("T", 2), ("V", 4)],
         3: [("X", 2), ("S", 5)], 4: [("P", 3), ("V", 5)]}  # fmt: skip


def reber_line(rng: Any) -> list[str]:
    inner, state = ["B"], 0
    while state != 5:
        symbol, state = REBER[state][rng.integers(0, 2)]
        inner.append(symbol)
    inner.append("E")
    outer = str(rng.choice(["T", "P"]))
    return ["B", outer, *inner, outer, "E"]


def reber_scored(line: list[str]) -> list[bool]:
    """Where the embedded grammar allows one next symbol only, given the prefix."""
    n = len(line)  # line = B o <inner: B … E> o E; the inner string is line[2 : n - 2]
    scored = [False] * (n - 1)
    scored[1] = True  # after B o comes the inner B
    scored[n - 4] = True  # the inner E: its predecessor (S from 3 or V from 4) forces it
    scored[n - 3] = True  # after the inner E: the outer symbol said at the start
    scored[n - 2] = True  # then E
    return scored


def last_only(line: list[str]) -> list[bool]:
    return [t == len(line) - 2 for t in range(len(line) - 1)]


def after_cue(line: list[str]) -> list[bool]:
    return [line[t] == "?" for t in range(len(line) - 1)]


@dataclass
class Determined:
    """The positions a preset line's own prefix determines (looked up by the line)."""

    table: dict[tuple[str, ...], list[bool]]

    def __call__(self, line: list[str]) -> list[bool]:
        return self.table[tuple(line)]


def tasks(data_seed: int, names: list[str] | None) -> list[Task]:
    import numpy as np

    def make(line: Callable[[Any], list[str]], k: int) -> list[list[str]]:
        rng = np.random.default_rng([data_seed, k])
        return [line(rng) for _ in range(N_TRAIN + N_HELD_OUT)]

    out = []
    for k, (lag, cap) in enumerate(((10, 100), (20, 150), (50, 60))):
        lines = make(lambda rng, lag=lag: lag_line(rng, lag), k)
        out.append(Task(f"lag-{lag}", lines[:N_TRAIN], lines[N_TRAIN:], last_only,
                        32, 0.01, 32, "adam", 5.0, cap))  # fmt: skip
    lines = make(adding_line, 3)
    out.append(Task("adding", lines[:N_TRAIN], lines[N_TRAIN:], last_only,
                    32, 0.01, 32, "adam", 5.0, 150, goal=0.95))  # fmt: skip
    lines = make(reber_line, 4)
    out.append(Task("reber", lines[:N_TRAIN], lines[N_TRAIN:], reber_scored,
                    32, 0.01, 32, "adam", 5.0, 100))  # fmt: skip
    return [t for t in out if names is None or t.name in names]


def preset_tasks(names: list[str] | None, cap_factor: float) -> list[Task]:
    from app.data.predictable import prefix_determined
    from app.data.presets import list_presets

    out = []
    for p in list_presets():
        if names is not None and p.name not in names:
            continue
        lines = [list(line) for line in p.data().tokens]
        if p.name == "forget-stream":  # the answers after "?"; the colours are random
            scored = after_cue
        else:
            pairs = zip(lines, prefix_determined(lines), strict=True)
            scored = Determined({tuple(x): m.tolist() for x, m in pairs})

        s = p.settings
        cap = max(1, round(cap_factor * s.epochs))
        # forget-stream: 150 epochs take 8-21 s and seed 2 stays at 67 % (RESULTS.md,
        # issue 13): its own target is 99 % of the answers, within the recommended epochs.
        goal, cap = (0.99, s.epochs) if p.name == "forget-stream" else (1.0, cap)
        out.append(Task(p.name, lines, None, scored, s.hidden_size, s.learning_rate,
                        s.batch_size, s.optimizer, s.clip_norm or 5.0, cap, goal))  # fmt: skip
    return out


# -- one run -----------------------------------------------------------------------------


def learn(task: Task, kind: str, scheme: str, seed: int) -> dict[str, Any]:
    import numpy as np

    from app.engine.batch import make_batch
    from app.engine.config import ModelConfig, TrainConfig
    from app.engine.trainer import Trainer

    symbols = sorted({s for line in task.train + (task.held_out or []) for s in line})
    index = {s: i for i, s in enumerate(symbols)}

    def encode(lines: list[list[str]]) -> list[np.ndarray]:
        return [np.array([index[s] for s in line], dtype=np.int64) for line in lines]

    model = ModelConfig(kind=kind, vocab_size=len(symbols), hidden_size=task.hidden,
                        bias_init=scheme)  # fmt: skip
    train = TrainConfig(optimizer=task.optimizer, learning_rate=task.lr,
                        batch_size=task.batch, clip_norm=task.clip)  # fmt: skip
    trainer = Trainer(model, train, encode(task.train), seed=seed, measure_start=False)
    check_lines = task.held_out if task.held_out is not None else task.train
    batch = make_batch(encode(check_lines))
    scored = np.zeros_like(batch.mask)  # (T, B)
    for b, line in enumerate(check_lines):
        flags = task.scored(line)
        scored[: len(flags), b] = flags

    def accuracy() -> float:
        probs = trainer.network.forward(trainer.params, batch.inputs).probs  # (T, B, V)
        right = probs.argmax(axis=-1) == batch.targets
        return float(right[scored].mean())

    reached, best, stop = None, accuracy(), None
    for report in trainer.run(task.cap):
        if report.stop_reason is not None:
            stop = report.stop_reason
            break
        acc = accuracy()
        best = max(best, acc)
        if acc >= task.goal:
            reached = report.epoch
            break
    return {"task": task.name, "kind": kind, "scheme": scheme, "seed": seed,
            "epochs": reached, "seconds": trainer.total_elapsed if reached else None,
            "spent_seconds": trainer.total_elapsed, "cap": task.cap, "best": best,
            "stopped": stop}  # fmt: skip


TASKS: list[Task] = []  # set before the worker processes fork: they read it


def learn_job(job: tuple[int, str, str, int]) -> dict[str, Any]:
    index, kind, scheme, seed = job
    return learn(TASKS[index], kind, scheme, seed)


def cell(runs: list[dict[str, Any]]) -> str:
    """``5/5 · 23 ep · 0.41 s``: seeds that reached the target, median epochs and seconds
    over all seeds (a miss counts as infinitely slow, so ``>cap`` when most missed)."""
    inf = float("inf")
    ok = sum(r["epochs"] is not None for r in runs)
    ep = statistics.median(r["epochs"] or inf for r in runs)
    sec = statistics.median(r["seconds"] or inf for r in runs)
    missed = [r["best"] for r in runs if r["epochs"] is None]
    why = f" (misses' best {100 * max(missed):.0f} %)" if missed else ""
    if ep == inf:
        return f"{ok}/{len(runs)} · >{runs[0]['cap']} ep{why}"
    return f"{ok}/{len(runs)} · {ep:g} ep · {sec:.2f} s{why}"


def print_table(rows: list[dict[str, Any]], schemes: list[str]) -> None:
    """The Markdown table, and per scheme: seeds on target, and the geometric mean over
    the rows of (median epochs / the first scheme's), where both medians are finite."""
    groups: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        groups.setdefault((r["task"], r["kind"]), {}).setdefault(r["scheme"], []).append(r)
    print(f"\n| task | model | {' | '.join(schemes)} |")
    print("|---|---|" + "---|" * len(schemes))
    for (name, kind), by_scheme in groups.items():
        print(f"| {name} | {kind} | " + " | ".join(cell(by_scheme[s]) for s in schemes) + " |")
    inf = float("inf")
    totals = []
    for s in schemes:
        runs = [r for g in groups.values() for r in g[s]]
        logs = []
        for g in groups.values():
            mine = statistics.median(r["epochs"] or inf for r in g[s])
            base = statistics.median(r["epochs"] or inf for r in g[schemes[0]])
            if mine < inf and base < inf:
                logs.append(math.log(mine / base))
        ok = sum(r["epochs"] is not None for r in runs)
        ratio = math.exp(statistics.fmean(logs)) if logs else float("nan")
        totals.append(f"{ok}/{len(runs)} on target · epochs ×{ratio:.2f}")
    print("| **all** | | " + " | ".join(totals) + " |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1)")
    quick = "2 seeds; lag-10, lag-20, reber, dinner-memory, doug-jane-spot"
    p.add_argument("--quick", action="store_true", help=quick)
    p.add_argument("--tasks", help="comma-separated task and preset names (default: all)")
    p.add_argument("--models", default="lstm", help="comma-separated kinds (default lstm)")
    p.add_argument("--schemes", default=",".join(SCHEMES))
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--cap", type=float, default=2.0, help="preset cap = this × recommended")
    p.add_argument("--data-seed", type=int, default=14)
    p.add_argument("--jobs", type=int, default=1, help="runs in parallel (processes)")
    p.add_argument("--json", help="write every run here")
    p.add_argument("--from-json", metavar="F", help="print the table of a saved run, no runs")
    args = p.parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            rows = json.load(f)["runs"]
        print_table(rows, list(dict.fromkeys(r["scheme"] for r in rows)))
        return
    pin_threads(args.threads)
    info = machine_info(args.threads)
    print_machine(info)

    names = args.tasks.split(",") if args.tasks else None
    seeds = [int(x) for x in args.seeds.split(",")]
    if args.quick:
        names = names or ["lag-10", "lag-20", "reber", "dinner-memory", "doug-jane-spot"]
        seeds = seeds[:2]
    schemes, models = args.schemes.split(","), args.models.split(",")
    TASKS[:] = preset_tasks(names, args.cap) + tasks(args.data_seed, names)
    print(f"\nEpochs to 100 % on the scored positions (median of seeds {seeds}), "
          f"seconds in updates; schemes {', '.join(schemes)}", flush=True)  # fmt: skip
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    jobs = [(i, kind, scheme, seed) for i in range(len(TASKS)) for kind in models
            for scheme in schemes for seed in seeds]  # fmt: skip
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        done = pool.imap(learn_job, jobs)  # in order: one (task, kind, scheme) row at a time
        for i, kind, scheme, _ in jobs[:: len(seeds)]:
            task = TASKS[i]
            runs = [next(done) for _ in seeds]
            rows += runs
            got = " ".join(str(r["epochs"] or f">{task.cap}") for r in runs)
            print(f"  {task.name:<15} {kind:<4} {scheme:<12} {cell(runs):<28} [{got}]"
                  f"  {time.perf_counter() - start:6.0f} s so far", flush=True)  # fmt: skip

    print_table(rows, schemes)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "seeds": seeds, "runs": rows}, f, indent=1)


if __name__ == "__main__":
    main()
