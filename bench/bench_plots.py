"""Loss curves and heatmaps: what a live frame costs with pyqtgraph's own idiom and without.

Two questions of the plots review, answered side by side in one run:

* **Loss curves.**  The real ``LossPlot``, its curves drawn three ways (see
  ``plot_frames.py``): ``envelope`` (the tree's incremental min/max envelopes and
  round-step ranges), ``library`` (pyqtgraph's peak downsampling, clip-to-view and
  auto-range) and ``stepped`` (the library's downsampling and clipping with the
  tree's round-step ranges).  Each is given ``N`` epochs of a noisy falling loss
  (training and validation, with accuracies), then frames of ``--chunk`` new epochs,
  each followed by the repaint it causes, with the view following the newest epoch
  (``follow``), the same on a log axis (``log``), and zoomed into the middle tenth
  (``zoomed``).
* **Heatmaps.**  The real ``Heatmap`` panel with ``ColorImage`` (the tree's subclass
  of ``pg.ImageItem``) against plain ``pg.ImageItem``: ``setImage`` + ``render()``
  alone, and a frame with its repaint; also the Train tab's six LSTM gate heatmaps.

Every measurement runs in a child process of its own (``--worker``); the variants
alternate, ``--rounds`` times, and the samples are pooled.  Budget: the app redraws at
up to 20 Hz and the event loop's p99 must stay < 50 ms while training, so one plot's
frame should cost well under 10 ms.  Run from the repo root (offscreen unless
``--xvfb``); ``BENCH_SRC=DIR`` measures another tree, as for the other scripts::

    .venv/bin/python bench/bench_plots.py [--epochs 1000,10000,100000] [--frames 60]
        [--chunk 5] [--rounds 3] [--size 800x400] [--impls envelope,library,stepped]
        [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import ROOT, SRC, cpu_model, pin_threads
from ui_setup import choose_platform

IMPLS = ("envelope", "library", "stepped")
MODES = ("follow", "log", "zoomed")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", default="1000,10000,100000", help="history lengths")
    p.add_argument("--modes", default=",".join(MODES), help="follow, log, zoomed")
    p.add_argument("--impls", default=",".join(IMPLS), help="curve variants to measure")
    p.add_argument("--frames", type=int, default=60, help="timed frames per child")
    p.add_argument("--chunk", type=int, default=5, help="new epochs per frame")
    p.add_argument("--rounds", type=int, default=3, help="children per variant")
    p.add_argument("--size", default="800x400", help="LossPlot size (default 800x400)")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="time frames by wall clock or by the process's CPU time")  # fmt: skip
    p.add_argument("--budget-ms", type=float, default=10.0, help="p95 frame budget")
    p.add_argument("--no-images", action="store_true", help="skip ColorImage vs ImageItem")
    p.add_argument("--xvfb", nargs="?", const=":96", help="draw on an Xvfb display (:96)")
    p.add_argument("--x11", action="store_true", help="draw on $DISPLAY")
    p.add_argument("--json", metavar="FILE", help="write every sample as JSON")
    p.add_argument("--worker", choices=["loss", "images"], help=argparse.SUPPRESS)
    p.add_argument("--impl", default="envelope", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--mode", default="follow", help=argparse.SUPPRESS)
    return p.parse_args()


def commit() -> str:
    """Short hash of HEAD, ``+dirty`` when the plots or this bench differ from it."""
    if SRC != ROOT:
        return os.environ.get("BENCH_COMMIT", f"tree {SRC}")

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    dirty = git("status", "--porcelain", "--", "app/ui/plots", "bench").strip()
    return git("rev-parse", "--short", "HEAD").strip() + ("+dirty" if dirty else "")


def child(args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    """One measurement in a child process (a fresh Qt application and pyqtgraph)."""
    command = [sys.executable, __file__, "--frames", str(args.frames), "--chunk",
               str(args.chunk), "--size", args.size, "--clock", args.clock, *extra]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{' '.join(extra)} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def ms(samples: list[float], q: float) -> float:
    import numpy as np

    return 1e3 * float(np.percentile(samples, q)) if samples else float("nan")


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[0])
    for key in ("call", "frame", "paint", "render"):
        if key in out:
            out[key] = [x for r in runs for x in r[key]]
    out["paints_per_frame"] = sum(r["paints_per_frame"] for r in runs) / len(runs)
    return out


def report_loss(results: dict[tuple[int, str, str], dict[str, Any]], args: argparse.Namespace):
    print(
        f"\n## LossPlot {args.size}, {args.chunk} new epochs a frame, "
        f"{args.frames} × {args.rounds} frames, clock {args.clock}: ms per frame "
        "(append + its repaint)\n"
    )
    print(
        "| epochs | view | curves | points | newest drawn | append p50 | paint p50 "
        "| paints/frame | **frame p50** | **frame p95** | p95 < budget |"
    )
    print("|--:|---|---|--:|---|--:|--:|--:|--:|--:|---|")  # fmt: skip
    for (n, mode, impl), r in results.items():
        ok = "yes" if ms(r["frame"], 95) < args.budget_ms else "**no**"
        newest = "—" if mode == "zoomed" else ("yes" if r["newest_drawn"] else "no")
        print(f"| {n:,} | {mode} | {impl} | {r['points_drawn']} | {newest} | "
              f"{ms(r['call'], 50):.2f} | {ms(r['paint'], 50):.2f} | "
              f"{r['paints_per_frame']:.2f} | **{ms(r['frame'], 50):.2f}** | "
              f"**{ms(r['frame'], 95):.2f}** | {ok} |")  # fmt: skip


def report_images(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\n## Heatmaps, levels 0…1, viridis LUT, {args.frames} × {args.rounds} frames, "
        f"clock {args.clock}: "
        "ms per frame (new values + their repaint)\n"
    )
    print(
        "| what (steps × rows) | image item | setImage + render() p50 | **frame p50** "
        "| **frame p95** |"
    )
    print("|---|---|--:|--:|--:|")
    for key, r in results.items():
        what, name = key.split("|")
        render = f"{ms(r['render'], 50):.2f}" if "render" in r else "—"
        print(f"| {what} | {name} | {render} | **{ms(r['frame'], 50):.2f}** | "
              f"**{ms(r['frame'], 95):.2f}** |")  # fmt: skip


def worker(args: argparse.Namespace) -> None:
    from plot_frames import image_frames, loss_frames
    from PySide6.QtCore import qInstallMessageHandler
    from ui_setup import quiet

    qInstallMessageHandler(quiet)
    size = tuple(int(v) for v in args.size.split("x"))
    if args.worker == "loss":
        result = loss_frames(
            args.impl, args.n, args.mode, args.frames, args.chunk, size, args.clock
        )
    else:
        result = image_frames(args.frames, args.clock)
    print(json.dumps(result))


def main() -> None:
    args = parse_args()
    pin_threads(1)
    server = choose_platform(args)
    if args.worker:
        worker(args)
        return
    print(f"# commit {commit()} | {cpu_model()} | {os.cpu_count()} cores | "
          f"Python {sys.version.split()[0]} | QT_QPA_PLATFORM "
          f"{os.environ.get('QT_QPA_PLATFORM')} | load avg "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    raw: dict[str, Any] = {}
    try:
        loss: dict[tuple[int, str, str], dict[str, Any]] = {}
        for n in (int(v) for v in args.epochs.split(",")):
            for mode in args.modes.split(","):
                runs: dict[str, list[dict[str, Any]]] = {}
                for _ in range(args.rounds):  # the variants alternate
                    for impl in args.impls.split(","):
                        extra = ("--worker", "loss", "--impl", impl, "--n", str(n), "--mode", mode)
                        runs.setdefault(impl, []).append(child(args, *extra))
                for impl, rs in runs.items():
                    loss[n, mode, impl] = pooled(rs)
                print(f"  measured {n:,} epochs, {mode}", file=sys.stderr)
        report_loss(loss, args)
        raw["loss"] = {f"{n}|{m}|{i}": r for (n, m, i), r in loss.items()}
        if not args.no_images:
            images = [child(args, "--worker", "images") for _ in range(args.rounds)]
            raw["images"] = {k: pooled([r[k] for r in images]) for k in images[0]}
            report_images(raw["images"], args)
    finally:
        if server is not None:
            server.terminate()
    if args.json:
        Path(args.json).write_text(json.dumps(raw, default=float) + "\n")


if __name__ == "__main__":
    main()
