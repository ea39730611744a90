"""Screenshots of experiments on the mechanism (issue 13): Inside the cell and Generate.

Run under an X server (Xvfb) from the repository root::

    Xvfb :97 -screen 0 1920x1080x24 &
    DISPLAY=:97 .venv/bin/python docs/tools/shoot_experiment.py /tmp/shots
    DISPLAY=:97 QT_SCALE_FACTOR=1.5 .venv/bin/python docs/tools/shoot_experiment.py /tmp/shots-15

It trains doug-jane-spot headless (``--epochs``, default 100), opens it in the real window
(throw-away settings), and for each experiment — forget gate shut, select gate shut, every
unit knocked out, memory wiped after step 3 — grabs the window on *Inside the cell* (at
``--step``, 1-based), on *Generate* and (``--tabs train``) on Train, as ``<tab>-<experiment>.png`` in the folder.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from shooting import pump, save_screen, show_tab, throwaway_window

from app.data import load_preset
from app.engine.gates import Clamp
from app.engine.intervene import ALL, Intervention
from app.ui.document.document import project_from_preset
from app.ui.document.experiment import Experiment
from app.ui.main import application
from app.ui.tabs.cell import CellView
from app.ui.tabs.generate import GenerateView
from app.ui.train_tab.plots_area import PlotsArea

EXPERIMENTS = {
    "forget-shut": Intervention((Clamp("forget", 0.0),)),
    "select-shut": Intervention((Clamp("output", 0.0),)),
    "knockout-all": Intervention(knockout=ALL),
    "wipe-after-3": Intervention(wipe_after=3),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--sequence", type=int, default=0)
    parser.add_argument("--step", type=int, default=4, help="1-based time step")
    parser.add_argument("--only", nargs="*", default=list(EXPERIMENTS))
    parser.add_argument("--tabs", nargs="*", default=["cell", "generate"])
    parser.add_argument("--expanded", action="store_true", help="open the Experiment panel")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    project = project_from_preset(load_preset("doug-jane-spot"))
    trainer = project.make_trainer()
    list(trainer.run(args.epochs))
    project.capture(trainer)
    project = replace(project, ui={})

    qapp = application()
    with throwaway_window(width, height) as window:
        window.document.replace(project)
        experiment = Experiment.of(window.document)
        pump(1.0)
        for name in args.only:
            experiment.set(EXPERIMENTS[name])
            for tab in args.tabs:
                view: CellView | GenerateView
                if tab == "cell":
                    view = show_tab(window, CellView)
                    view.set_sequence(args.sequence)
                    view.set_step(args.step - 1)
                    view.experiment.panel.set_expanded(args.expanded)
                elif tab == "train":
                    plots = show_tab(window, PlotsArea)
                    plots.experiment.panel.set_expanded(args.expanded)
                    plots.flush()
                    plots.experiment.show_sequence(plots.sequence_combo.currentIndex())
                else:
                    view = show_tab(window, GenerateView)
                    view.experiment.panel.set_expanded(args.expanded)
                pump(1.0)
                out = args.folder / f"{tab}-{name}.png"
                save_screen(window, out, window_only=True)
                print(out)
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
