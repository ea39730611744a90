"""Every view of the lesson presets as slides, drawn by ``lstm-playground figure``.

Run from the repository root (no display needed)::

    .venv/bin/python docs/tools/shoot_figures.py /tmp/figures
    .venv/bin/python docs/tools/shoot_figures.py /tmp/figures --presets long-memory \\
        --views cell,versus --epochs 150

For each preset it makes a project (``new``), trains it headless (``train``), then draws
each view at 1280×720 (scale 1) and at 1920×1080 at scale 1.5 (the projector case), in
and out of presentation mode when ``figure`` offers ``--presentation``.  Each figure is a
cold start of its own process, timed: the table printed at the end is the measurement
behind the README's "< 3 s a figure" (the machine is shared: compare within one run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

VIEWS = ("train", "compare", "cell", "versus", "generate", "state-map")
SIZES = (("1280x720", "1"), ("1920x1080", "1.5"))


def run(*args: str) -> float:
    """Run ``python -m app ARGS``; its wall time in seconds (exits on failure)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: app {' '.join(args)}\n{done.stderr.strip()}")
    return elapsed


def offers_presentation() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "app", "figure", "--help"], capture_output=True, text=True
    )
    return "--presentation" in done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--presets", default="doug-jane-spot,long-memory")
    parser.add_argument("--views", default=",".join(VIEWS))
    parser.add_argument("--epochs", type=int, default=None, help="default: each preset's own")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    modes = [False, True] if offers_presentation() else [False]
    rows: list[tuple[str, float]] = []
    for preset in args.presets.split(","):
        project = args.folder / f"{preset}.lstmproj"
        run("new", str(project), "--preset", preset, "--force")
        train = ["train", str(project)]
        if args.epochs is not None:
            train += ["--epochs", str(args.epochs)]
        rows.append((f"train {preset}", run(*train)))
        for view in args.views.split(","):
            for size, scale in SIZES:
                for present in modes:
                    tag = "-present" if present else ""
                    name = f"{preset}-{view}-{size}@{scale}{tag}.png"
                    extra = ["--presentation"] if present else []
                    seconds = run(
                        "figure", str(project), str(args.folder / name), "--view", view,
                        "--size", size, "--scale", scale, *extra,
                    )  # fmt: skip
                    rows.append((name, seconds))
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
