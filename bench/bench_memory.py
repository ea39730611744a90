"""Memory of a long run: the window's process and its training process, every 30 s.

Trains the dinner preset (the fastest, ~1 500 epochs/s) through the real controller
(no window) and prints both processes' resident memory; past the history's capacity
(200 000 reports) both should stay flat.  ``--seconds`` sets the length (default 240)::

    .venv/bin/python bench/bench_memory.py [--seconds 240] [--preset dinner]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_info, pin_threads, print_machine


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="dinner")
    p.add_argument("--seconds", type=float, default=240.0)
    p.add_argument("--every", type=float, default=30.0)
    args = p.parse_args()
    pin_threads(1)
    print_machine(machine_info(1))

    from ui_setup import start_training, wait

    controller = start_training(args.preset)
    controller.start()
    wait(2.0)
    child = controller.process_id  # None when training runs on a thread
    elapsed = 0.0
    while True:
        kept = len(controller.history())
        child_mb = f"{rss_mb(child):7.1f} MB" if child else "   (thread)"
        print(f"t={2 + elapsed:5.0f} s  epoch {controller.epoch:8d}  history kept {kept:7d}  "
              f"window process {rss_mb(os.getpid()):7.1f} MB  training process {child_mb}",
              flush=True)  # fmt: skip
        if elapsed >= args.seconds:
            break
        wait(args.every)
        elapsed += args.every
    controller.pause()
    wait(1.0)
    controller.shutdown()


if __name__ == "__main__":
    main()
