"""The desktop window while it trains: does the GUI stay responsive, and what does it cost?

Opens the real main window (``app.ui.main.build_window``; Qt's offscreen platform unless
``--xvfb`` or ``--x11``), loads a preset with an "N more epochs" stop condition of about
twice what the run will train (so the status bar's progress and ETA move; ``--no-stop``
for none), presses Train, and for ``--seconds`` (after ``--warmup``) measures, with all
plots live at the app's refresh rate (20 Hz unless ``--refresh``):

* the GUI event loop's latency: a single-shot timer of ``--interval-ms`` re-armed on
  every tick; lateness = fired − (armed + interval), p50/p90/p99/max;
* training throughput (epochs/s, updates/s from the controller's history) against the
  headless ``Trainer.run`` on the same project, in the same process and thread count,
  for the same wall time (half before the window, half after), as a ratio;
* frames drawn per second, the GUI thread's time per frame (the plots' redraw plus the
  plot views' paint events), and the CPU time of the GUI thread and of the process.

``--history N`` pre-fills the project with N epochs (a plausible falling loss) first,
for the "copes with 100,000 epochs" case.  Targets (issue 10, training in the training
process): p99 < 50 ms, ratio ≥ 0.9.  Run from the repo root::

    .venv/bin/python bench/bench_ui.py [--preset dinner] [--seconds 20] [--history 100000]
        [--xvfb [:96]] [--json out.json] [--profile-gui gui.prof] [--training thread]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine_info, pin_threads, print_machine
from ui_setup import (
    choose_platform,
    headless,
    instrument,
    make_project,
    quiet,
    wait,
    with_stop,
)

P99_TARGET_MS = 50.0
RATIO_TARGET = 0.9


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--preset", default="dinner")
    p.add_argument("--seconds", type=float, default=20.0, help="measured time (default 20)")
    p.add_argument("--warmup", type=float, default=2.0, help="training before measuring")
    p.add_argument("--history", type=int, default=0, help="pre-fill N epochs of history")
    p.add_argument("--interval-ms", type=int, default=10, help="latency probe interval")
    p.add_argument("--refresh", type=int, help="plot refresh rate in Hz (default: the app's)")
    p.add_argument("--size", default="1600x1000", help="window size (default 1600x1000)")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    p.add_argument("--xvfb", nargs="?", const=":96", help="draw on an Xvfb display (:96)")
    p.add_argument("--x11", action="store_true", help="draw on $DISPLAY")
    p.add_argument("--switch-interval", type=float, help="sys.setswitchinterval (s) to try")
    p.add_argument(
        "--training",
        choices=["process", "thread"],
        help="where training runs (default: the app's, the training process)",
    )
    p.add_argument("--no-gc-freeze", action="store_true", help="skip run_gui's gc.freeze()")
    p.add_argument("--no-stop", action="store_true", help="train without a stop condition")
    p.add_argument("--no-headless", action="store_true", help="skip the headless comparison")
    p.add_argument("--profile-gui", metavar="FILE", help="cProfile the GUI thread")
    p.add_argument("--tab", default="Train", help="the tab shown while training (its title)")
    p.add_argument("--json", metavar="FILE", help="write the results as JSON ('-': stdout)")
    return p.parse_args()


def run_window(args: argparse.Namespace, project: Any, watch: Any) -> dict[str, Any]:
    from PySide6.QtCore import qInstallMessageHandler
    from ui_probes import CpuMeter, GcMeter, LatencyProbe, percentiles

    from app.ui.main import application, build_window

    try:
        from app.ui.main import freeze_startup_heap
    except ImportError:  # a tree from before it

        def freeze_startup_heap() -> None:
            pass

    qInstallMessageHandler(quiet)
    application()
    window = build_window()
    if not args.no_gc_freeze:
        freeze_startup_heap()  # as run_gui does (when this tree has it)
    c = window.controller
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.document.replace(project)
    if args.refresh:
        combo = window.menu_actions.refresh_combo
        index = combo.findData(args.refresh)
        if index < 0:
            rates = [combo.itemData(i) for i in range(combo.count())]
            raise SystemExit(f"--refresh must be one of the app's rates: {rates}")
        combo.setCurrentIndex(index)
    refresh = int(window.menu_actions.refresh_combo.currentData())
    titles = [window.views.tabText(i) for i in range(window.views.count())]
    if args.tab not in titles:
        raise SystemExit(f"--tab must be one of {titles}")
    window.views.setCurrentIndex(titles.index(args.tab))
    window.show()
    c.warm_up()  # as run_gui does once the window shows
    wait(0.5)
    received = [0]
    c.frame_ready.connect(lambda _frame: received.__setitem__(0, received[0] + 1))
    probe, cpu, gc_meter = LatencyProbe(args.interval_ms), CpuMeter(), GcMeter()
    probe.start()
    window.menu_actions.train.trigger()
    wait(args.warmup)

    def mark() -> tuple[int, int, float]:
        history = c.history()
        return c.epoch, history[-1].total_updates if history else 0, time.perf_counter()

    gui_profile = cProfile.Profile() if args.profile_gui else None
    e0, u0, t0 = mark()
    received[0] = 0
    watch.recording = probe.recording = True
    cpu.start()
    gc_meter.recording = True
    if gui_profile:
        gui_profile.enable()
    wait(args.seconds)
    if gui_profile:
        gui_profile.disable()
    watch.recording = probe.recording = False
    cpu.stop()
    gc_meter.recording = False
    e1, u1, t1 = mark()
    probe.stop()
    c.pause()
    wait(0.3)
    window.document.set_modified(False)
    window.close()
    c.shutdown()
    if gui_profile:
        gui_profile.dump_stats(args.profile_gui)
    wall = t1 - t0
    frames = watch.count("redraw")
    gui_ms = 1e3 * (watch.total("redraw") + watch.total("paint")) / max(frames, 1)
    return {
        "training": "process" if c.trains_in_process else "thread",
        "refresh_hz": refresh,
        "platform": os.environ.get("QT_QPA_PLATFORM"),
        "epochs": [e0, e1],
        "wall": wall,
        "epochs_per_s": (e1 - e0) / wall,
        "updates_per_s": (u1 - u0) / wall,
        "latency_ms": percentiles(probe.lateness) | {"ticks": len(probe.lateness)},
        "frames_received_per_s": received[0] / wall,
        "frames_drawn_per_s": frames / wall,
        "redraw_ms": percentiles(watch.samples.get("redraw", [])),
        "paint_ms_per_frame": 1e3 * watch.total("paint") / max(frames, 1),
        "paints_per_frame": watch.count("paint") / max(frames, 1),
        "status_ms": percentiles(watch.samples.get("status", [])),
        "received_ms_per_frame": 1e3 * watch.total("frame_received") / max(frames, 1),
        "gui_ms_per_frame": gui_ms,
        "gui_cpu_share": cpu.thread / wall,
        "process_cpu_share": cpu.process / wall,
        "gc_full_passes": sum(1 for g, _ in gc_meter.pauses if g == 2),
        "gc_max_ms": 1e3 * max((t for _, t in gc_meter.pauses), default=0.0),
        "gc_total_ms": 1e3 * sum(t for _, t in gc_meter.pauses),
    }


def report(r: dict[str, Any]) -> None:
    w, lat = r["window"], r["window"]["latency_ms"]
    e0, e1 = w["epochs"]
    print(
        f"preset {r['preset']} | history {r['history']:,} | epochs {e0:,} → {e1:,} "
        f"(stop after {r['stop_epochs']:,} more) | "
        f"{w['wall']:.1f} s measured | probe {r['interval_ms']} ms | refresh {w['refresh_hz']} Hz"
        f" | {w['platform']} {r['size']} | tab {r.get('tab', 'Train')}"
        f" | training in a {'training process' if w.get('training') == 'process' else 'thread'}"
    )
    print(
        f"event-loop lateness (ms): p50 {lat['p50']:.1f}  p90 {lat['p90']:.1f}  "
        f"p99 {lat['p99']:.1f}  max {lat['max']:.1f}  ({lat['ticks']} ticks)"
    )
    print(
        f"training, window open:  {w['epochs_per_s']:8.1f} epochs/s  "
        f"{w['updates_per_s']:8.1f} updates/s"
    )
    h = r.get("headless")
    if h:
        print(
            f"training, headless:     {h['epochs_per_s']:8.1f} epochs/s  "
            f"{h['updates_per_s']:8.1f} updates/s  → ratio {r['ratio']:.2f}"
        )
    rd = w["redraw_ms"]
    print(
        f"frames: {w['frames_received_per_s']:.1f}/s received, {w['frames_drawn_per_s']:.1f}/s "
        f"drawn | redraw p50 {rd['p50']:.1f} p90 {rd['p90']:.1f} max {rd['max']:.1f} ms | "
        f"paint {w['paint_ms_per_frame']:.1f} ms/frame ({w['paints_per_frame']:.1f} views) | "
        f"GUI {w['gui_ms_per_frame']:.1f} ms/frame + "
        f"{w.get('received_ms_per_frame', float('nan')):.1f} ms receiving it (every tab's share)"
    )
    print(
        f"CPU: GUI thread {100 * w['gui_cpu_share']:.0f}%, whole process "
        f"{100 * w['process_cpu_share']:.0f}% (of one core) | GC: {w['gc_full_passes']} full "
        f"passes, longest {w['gc_max_ms']:.1f} ms, {w['gc_total_ms']:.0f} ms in all"
    )
    verdict = ["PASS" if lat["p99"] < P99_TARGET_MS else "FAIL"]
    if h:
        verdict.append("PASS" if r["ratio"] >= RATIO_TARGET else "FAIL")
    print(
        f"targets: p99 < {P99_TARGET_MS:g} ms {verdict[0]}"
        + (f"; ratio ≥ {RATIO_TARGET} {verdict[1]}" if h else "")
    )


def print_profile(path: str, title: str) -> None:
    print(f"\n## {title} ({path}), top 25 by own time")
    pstats.Stats(path).sort_stats("tottime").print_stats(25)


def main() -> None:
    args = parse_args()
    pin_threads(args.threads)
    server = choose_platform(args)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    if args.training:
        os.environ["LSTM_PLAYGROUND_TRAINING"] = args.training
    os.environ.setdefault("LSTM_PLAYGROUND_SETTINGS_DIR", tempfile.mkdtemp(prefix="bench-ui-"))
    from ui_probes import Stopwatch

    try:
        info = machine_info(args.threads)
        print_machine(info)
        project = make_project(args.preset, args.history)
        watch = Stopwatch()
        instrument(watch)
        half = args.seconds / 2
        before = (0, 0, 0.0) if args.no_headless else headless(project, half)
        stop = 0
        if not (args.no_stop or args.no_headless):  # progress and ETA move, as in a real run
            stop = math.ceil(2 * before[0] / before[2] * (args.warmup + args.seconds + 1))
        window = run_window(args, with_stop(project, stop), watch)
        after = (0, 0, 0.0) if args.no_headless else headless(project, half)
    finally:
        if server is not None:
            server.terminate()
            server.wait(5)
    result: dict[str, Any] = {
        "machine": info,
        "preset": args.preset,
        "history": args.history,
        "interval_ms": args.interval_ms,
        "size": args.size,
        "tab": args.tab,
        "switch_interval": sys.getswitchinterval(),
        "commit": info.get("commit"),
        "stop_epochs": stop,
        "window": window,
    }
    if not args.no_headless:
        wall = before[2] + after[2]
        result["headless"] = {
            "epochs_per_s": (before[0] + after[0]) / wall,
            "updates_per_s": (before[1] + after[1]) / wall,
            "wall": wall,
        }
        result["ratio"] = window["epochs_per_s"] / result["headless"]["epochs_per_s"]
    report(result)
    if args.profile_gui:
        print_profile(args.profile_gui, "GUI thread")
    if args.json:
        text = json.dumps(result, indent=2, default=float)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")


if __name__ == "__main__":
    main()
