"""Progress inside an epoch (``Trainer.run(on_progress=...)``): opt-in, read-only, exact."""

from __future__ import annotations

import numpy as np

from app.engine.trainer import Progress
from tests.engine.test_determinism import TRAIN, make_trainer, outcome


def test_progress_changes_nothing_bit_for_bit() -> None:
    plain, watched = make_trainer(), make_trainer()
    seen: list[Progress] = []
    plain_reports = list(plain.run(3))
    watched_reports = list(watched.run(3, on_progress=seen.append, progress_every_s=0.0))
    assert len(seen) == sum(r.updates for r in watched_reports)  # one call per update
    a, b = outcome(plain, plain_reports), outcome(watched, watched_reports)
    assert a.reports == b.reports and a.steps == b.steps and a.rng == b.rng
    assert a.params.tobytes() == b.params.tobytes()
    assert all(a.optimizer[k].tobytes() == b.optimizer[k].tobytes() for k in a.optimizer)


def test_progress_rises_to_the_epoch_total_and_matches_the_report() -> None:
    trainer = make_trainer()  # 11 sequences in batches of 3: 4 updates an epoch
    seen: list[Progress] = []
    reports = list(trainer.run(2, on_progress=seen.append, progress_every_s=0.0))
    symbols = sum(len(s) - 1 for s in TRAIN)
    for epoch, report in enumerate(reports, start=1):
        mine = [p for p in seen if p.epoch == epoch]
        assert [p.updates for p in mine] == [1, 2, 3, 4]
        assert all(p.updates_in_epoch == 4 and p.symbols_in_epoch == symbols for p in mine)
        assert np.all(np.diff([p.symbols for p in mine]) > 0)
        assert np.all(np.diff([p.elapsed for p in mine]) >= 0)
        last = mine[-1]  # after the epoch's last update: the epoch's own numbers
        assert last.symbols == symbols
        assert last.train_loss == report.train_loss
        assert last.train_accuracy == report.train_accuracy


def test_progress_counts_the_whole_epoch_across_a_stop_and_resume() -> None:
    trainer = make_trainer()
    asked = iter([False, False, True])  # stop before the third update
    assert list(trainer.run(1, should_stop=lambda: next(asked, False))) == []
    seen: list[Progress] = []
    list(trainer.run(1, on_progress=seen.append, progress_every_s=0.0))
    assert [(p.epoch, p.updates) for p in seen] == [(1, 3), (1, 4)]


def test_a_short_epoch_reports_no_progress_with_an_interval() -> None:
    seen: list[Progress] = []
    list(make_trainer().run(3, on_progress=seen.append, progress_every_s=60.0))
    assert seen == []
