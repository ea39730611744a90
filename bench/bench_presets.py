"""How long each preset takes to learn, per model kind and seed, from its recommended settings.

Trains every preset (``app.data.presets.list_presets()``) with an LSTM, a GRU and a
vanilla RNN, each from the preset's recommended settings (only the kind changes), via
the real ``Project → Trainer`` path, until the training set is predicted perfectly
(100%, or the best accuracy any model could reach where a prefix has several
continuations) or an epoch cap.  Run from the repo root::

    .venv/bin/python bench/bench_presets.py [--seeds 1,2,3] [--cap 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from common import machine_info, pin_threads, print_machine


def learn(preset: Any, kind: str, seed: int, cap_factor: float, every: int) -> dict[str, Any]:
    """Train one (preset, kind, seed) until perfect or the cap; report epochs and seconds."""
    from app.data.predictable import best_possible_accuracy
    from app.engine.config import ModelConfig
    from app.project.project import Project

    s = preset.settings
    project = Project.from_text(
        preset.text,
        preset.tokenizer.to_string(),
        ModelConfig(kind=kind, hidden_size=s.hidden_size),
        s.train_config(),
        seed=seed,
    )
    trainer = project.make_trainer()
    goal = best_possible_accuracy(trainer.train_sequences)
    cap = max(1, round(cap_factor * s.epochs))
    best, learned_at, stop = 0.0, None, None
    start = time.perf_counter()
    for report in trainer.run(cap):
        if report.stop_reason is not None:
            stop = "diverged"
            break
        if report.epoch % every and report.epoch != cap:
            continue
        acc = trainer.evaluate(trainer.train_sequences).accuracy
        best = max(best, acc)
        if acc >= goal - 1e-9:
            learned_at = report.epoch
            break
    return {
        "preset": preset.name,
        "kind": kind,
        "seed": seed,
        "goal": goal,
        "epochs": learned_at,
        "cap": cap,
        "recommended": s.epochs,
        "best_accuracy": best,
        "train_seconds": trainer.total_elapsed,
        "wall_seconds": time.perf_counter() - start,
        "stopped": stop,
    }


def summary(runs: list[dict[str, Any]]) -> str:
    """One table cell: ``3/3 · 57 ep · 1.2 s`` (medians over the learned seeds) or why not."""
    ok = [r for r in runs if r["epochs"] is not None]
    if not ok:
        best = max(r["best_accuracy"] for r in runs)
        return f"not learned (best {100 * best:.1f}%)"
    epochs = statistics.median(r["epochs"] for r in ok)
    secs = statistics.median(r["wall_seconds"] for r in ok)
    text = f"{len(ok)}/{len(runs)} · {epochs:g} ep · {secs:.2f} s"
    if len(ok) < len(runs):
        text += f" (best fail {100 * max(r['best_accuracy'] for r in runs if r not in ok):.0f}%)"
    return text


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1)")
    p.add_argument("--presets", help="comma-separated preset names (default: all)")
    p.add_argument("--models", default="lstm,gru,rnn")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--cap", type=float, default=3.0, help="epoch cap = this × recommended")
    p.add_argument("--every", type=int, default=1, help="check training accuracy every N epochs")
    p.add_argument("--wait", type=float, default=0, help="seconds to wait for the presets to land")
    p.add_argument("--json", help="write the results here")
    args = p.parse_args()
    pin_threads(args.threads)
    info = machine_info(args.threads)
    print_machine(info)

    deadline = time.monotonic() + args.wait
    while True:  # the data layer may still be landing: poll for it
        try:
            from app.data.presets import list_presets

            presets = list_presets()
            if presets:
                break
        except ImportError as exc:
            if time.monotonic() > deadline:
                raise SystemExit(f"presets unavailable: {exc}") from exc
        if time.monotonic() > deadline:
            raise SystemExit("no presets found")
        time.sleep(10)
    if args.presets:
        presets = [q for q in presets if q.name in args.presets.split(",")]
    models, seeds = args.models.split(","), [int(x) for x in args.seeds.split(",")]

    print(f"\nEpochs to a perfect training set (median over the learned seeds of {args.seeds});"
          f" wall s include the accuracy checks; cap {args.cap:g}× recommended")  # fmt: skip
    rows: list[dict[str, Any]] = []
    table: dict[str, dict[str, str]] = {}
    for preset in presets:
        s = preset.settings
        print(f"\n{preset.name}: H={s.hidden_size} {s.optimizer} lr={s.learning_rate:g} "
              f"batch={s.batch_size} recommended {s.epochs} epochs", flush=True)  # fmt: skip
        for kind in models:
            runs = [learn(preset, kind, seed, args.cap, args.every) for seed in seeds]
            rows += runs
            for r in runs:
                got = (
                    f"{r['epochs']} ep" if r["epochs"] else f"best {100 * r['best_accuracy']:.1f}%"
                )
                print(f"  {kind:<4} seed {r['seed']}: {got:<12} {r['wall_seconds']:7.2f} s wall"
                      f" ({r['train_seconds']:.2f} s in updates)", flush=True)  # fmt: skip
            label = f"{preset.name} (H={s.hidden_size}, {s.epochs} ep)"
            table.setdefault(label, {})[kind] = summary(runs)

    width = max(len(n) for n in table)
    print(f"\n| {'preset':<{width}} | " + " | ".join(f"{k:<34}" for k in models) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * 36 for _ in models) + "|")
    for name, cells in table.items():
        print(f"| {name:<{width}} | " + " | ".join(f"{cells[k]:<34}" for k in models) + " |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "runs": rows}, f, indent=1)


if __name__ == "__main__":
    main()
