"""The training controller and its training process with no window: what do they cost?

Trains a preset through :class:`~app.training.controller.TrainingController` (the real
training process, frames at the refresh rate, drawn by nobody: credit comes back at
once, no plots) and then through the bare ``Trainer.run``, and prints both epochs/s::

    .venv/bin/python bench/bench_controller.py --preset dinner [--refresh 20] [--seconds 6]

A ratio near 1 says the process, its messages and frames are not what slows
training in the desktop app; ``bench_ui.py`` measures the window on top of them.
"""

from __future__ import annotations

import argparse
import time

from common import machine_info, pin_threads, print_machine


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="dinner")
    p.add_argument("--refresh", type=float, default=20.0, help="frames per second")
    p.add_argument("--seconds", type=float, default=6.0)
    args = p.parse_args()
    pin_threads(1)
    print_machine(machine_info(1))

    from ui_setup import headless, make_project, start_training, wait

    controller = start_training(args.preset, args.refresh)
    frames = [0]
    controller.frame_ready.connect(lambda _frame: frames.__setitem__(0, frames[0] + 1))
    controller.start()
    wait(1.0)  # warm-up
    e0, f0, t0, cpu0 = controller.epoch, frames[0], time.perf_counter(), time.process_time()
    wait(args.seconds)
    e1, f1, t1, cpu1 = controller.epoch, frames[0], time.perf_counter(), time.process_time()
    controller.pause()
    controller.shutdown()
    wall = t1 - t0
    with_controller = (e1 - e0) / wall
    epochs, _, seconds = headless(make_project(args.preset, 0), args.seconds)
    bare = epochs / seconds
    print(
        f"preset {args.preset}: controller, no window {with_controller:.1f} epochs/s "
        f"({(f1 - f0) / wall:.1f} frames/s, process CPU {(cpu1 - cpu0) / wall:.0%}) | "
        f"Trainer.run {bare:.1f} epochs/s → ratio {with_controller / bare:.2f}"
    )


if __name__ == "__main__":
    main()
