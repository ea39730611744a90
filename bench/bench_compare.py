"""How long does one comparison take? Two forward passes from snapshots plus every panel.

Builds an LSTM with hidden size 128 on one line of 51 random words (50 predictions,
vocabulary 30), trains it a few epochs so there are snapshots, and opens the real
``CompareView`` (Qt's offscreen platform unless ``$DISPLAY`` is set and ``--x11``).
For ``--repeats`` different (A, B) pairs, with the view cache emptied each time, it
times:

* ``view_at ×2`` — the two forward passes on the snapshots' weights;
* ``update`` — ``CompareView.show_views``: the word cells, sentences and all 18
  heatmaps (6 quantities × A, B, B − A), the call alone;
* ``update + paint`` — the same plus the repaint it causes (``processEvents``);
* ``full`` — the user's path: ``set_epoch`` → ``refresh_now`` (snapshots looked up,
  both forward passes, every panel, selectors, timeline marks) plus the repaint.

Medians (and p90) in milliseconds, for every row shown and for one gate shown.  Target
(issue 4): under 100 ms.  Run from the repo root::

    .venv/bin/python bench/bench_compare.py [--repeats 40] [--hidden 128] [--steps 50]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace

from common import machine_info, pin_threads, print_machine

TARGET_MS = 100.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=40)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--steps", type=int, default=50, help="predictions in the line")
    p.add_argument("--vocab", type=int, default=30)
    p.add_argument("--epochs", type=int, default=30, help="epochs trained first")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    p.add_argument("--x11", action="store_true", help="draw on $DISPLAY, not offscreen")
    return p.parse_args()


def main() -> int:
    args = parse_args()
    pin_threads(args.threads)
    if not args.x11:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import numpy as np

    from app.analysis.sequence_view import view_at
    from app.engine.config import ModelConfig, TrainConfig
    from app.project import Project
    from app.training.controller import TrainingController
    from app.ui.document.document import Document
    from app.ui.main import application
    from app.ui.tabs.compare_epochs import CompareView

    print_machine(machine_info(args.threads))
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(args.vocab)]
    line = " ".join(words + list(rng.choice(words, args.steps + 1 - args.vocab)))
    project = Project.from_text(
        line, "words", model=ModelConfig(kind="lstm", hidden_size=args.hidden),
        train=TrainConfig(batch_size=1),
    )  # fmt: skip
    trainer = project.make_trainer()
    list(trainer.run(args.epochs))
    project.capture(trainer)

    qapp = application()
    controller = TrainingController()
    controller.set_project(project)
    view = CompareView(controller, Document(project))
    view.resize(1200, 800)
    view.show()
    qapp.processEvents()
    view.refresh_now()
    qapp.processEvents()
    network, data = controller.model()  # type: ignore[misc]
    epochs = controller.snapshot_epochs()
    pairs = [(epochs[i % len(epochs)], epochs[(i * 7 + 3) % len(epochs)])
             for i in range(args.repeats)]  # fmt: skip
    steps, vocab = data.ids[0].size - 1, len(data.vocabulary)
    print(f"LSTM H={args.hidden}, {steps} steps, V={vocab}; {len(epochs)} snapshots; "
          f"{args.repeats} different (A, B) pairs; view 1200×800")  # fmt: skip

    for show in ("all", "forget"):
        view.top.show_combo.setCurrentIndex(view.top.show_combo.findData(show))
        qapp.processEvents()
        times: dict[str, list[float]] = {"view_at ×2": [], "update": [], "update + paint": [],
                                         "full": []}  # fmt: skip
        for a, b in pairs:
            snaps = [controller.snapshot(a), controller.snapshot(b)]
            start = time.perf_counter()
            va, vb = (view_at(network, s, data, 0) for s in snaps)  # type: ignore[arg-type]
            computed = time.perf_counter()
            view.show_views(va, vb)
            updated = time.perf_counter()
            qapp.processEvents()
            painted = time.perf_counter()
            times["view_at ×2"].append(computed - start)
            times["update"].append(updated - computed)
            times["update + paint"].append(painted - computed)
        for a, b in pairs:
            view.cache.clear()
            view.state = replace(view.state, follow=False)
            view.set_epoch("b", b)
            start = time.perf_counter()
            view.set_epoch("a", a)
            view.refresh_now()
            qapp.processEvents()
            times["full"].append(time.perf_counter() - start)
        print(f"\n## shown: {'every gate and state (18 heatmaps)' if show == 'all' else show}")
        for name, values in times.items():
            ms = 1000 * np.asarray(values)
            verdict = ""
            if name == "full":
                verdict = "PASS" if np.median(ms) < TARGET_MS else "FAIL"
                verdict = f"  target < {TARGET_MS:.0f} ms: {verdict}"
            print(f"{name:>16}: median {np.median(ms):6.1f} ms, p90 {np.percentile(ms, 90):6.1f} ms"
                  f"{verdict}")  # fmt: skip
    controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
