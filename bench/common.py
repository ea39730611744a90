"""Helpers shared by the benchmark scripts: thread pinning and a description of the machine.

Stdlib only at import time: :func:`pin_threads` must run before NumPy is imported,
because OpenBLAS and MKL read their thread counts once, when they load.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Another source tree to measure (e.g. `git archive <commit> app resources | tar -x -C DIR`).
SRC = Path(os.environ.get("BENCH_SRC", ROOT)).resolve()
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def pin_threads(threads: int) -> None:
    """Re-execute this script with every BLAS/OpenMP thread variable set to ``threads``.

    Does nothing when the environment already says so.  Must be called before
    NumPy or torch is imported; also puts the source tree (``$BENCH_SRC`` or the
    repository root) first on ``sys.path``.
    """
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    want = str(threads)
    if all(os.environ.get(k) == want for k in THREAD_VARS):
        return
    if "numpy" in sys.modules or "torch" in sys.modules:
        raise RuntimeError("pin_threads must run before numpy/torch are imported")
    env = {**os.environ, **{k: want for k in THREAD_VARS}}
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


def git_commit() -> str:
    """Short hash of HEAD, ``+dirty`` when app/engine differs from it (what is measured)."""
    if SRC != ROOT:
        return os.environ.get("BENCH_COMMIT", f"tree {SRC}")
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "app/engine"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(threads: int) -> dict[str, Any]:
    """CPU, cores, NumPy and its BLAS, torch (if importable), threads and the commit."""
    import numpy as np

    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")
        b = config["Build Dependencies"]["blas"]
        blas = f"{b.get('name')} {b.get('version')}"
    except Exception:  # older NumPy: no dict mode
        pass
    info: dict[str, Any] = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "threads": threads,
        "commit": git_commit(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        info["torch"] = None
    return info


def print_machine(info: dict[str, Any]) -> None:
    print(
        f"# commit {info['commit']} | {info['cpu']} | {info['cores']} cores | "
        f"Python {info['python']} | NumPy {info['numpy']} ({info['blas']}) | "
        f"torch {info.get('torch')} | threads {info['threads']} | "
        f"load avg {' '.join(map(str, info['load_average']))}"
    )
