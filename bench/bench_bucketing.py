"""Bucketing in lines mode: seconds per epoch and padding, off vs on, in the same run.

The corpus's lines (bench/corpus.py: Python's stdlib sources, lines of ≥ 2 characters,
~95 symbols) trained by the real ``Trainer`` in lines mode: LSTM, H = 128, batch 32,
Adam, clipping 5, one thread.  For each dtype, one epoch with ``bucketing=False`` (random
batches padded to their longest line) and one with ``bucketing=True``, from the same
seed: the epoch's seconds (wall and process CPU), the share of padded steps, the mean
training loss over the epoch and the loss of the weights after it over every line (does
bucketing hurt learning?).  Then, since a bucketed epoch is shorter, bucketing keeps
training until it has used the CPU time of the epoch without it: the loss at equal
time (``--no-equal-time`` skips it)::

    .venv/bin/python bench/bench_bucketing.py            # the whole corpus: ~5 minutes
    .venv/bin/python bench/bench_bucketing.py --quick    # its first 3000 lines
"""

from __future__ import annotations

import argparse
import json
import os
import time

from common import machine_info, pin_threads, print_machine
from corpus import corpus_lines, describe, encode


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="the corpus's first 3000 lines")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--dtypes", default="float32,float64")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-equal-time", action="store_true", help="skip the equal-time row")
    p.add_argument("--json", help="write the results here")
    args = p.parse_args()
    pin_threads(1)
    import numpy as np

    from app.engine.bucketing import padding_fraction
    from app.engine.config import ModelConfig, TrainConfig
    from app.engine.trainer import Trainer

    info = machine_info(1)
    print_machine(info)
    print(f"# {describe()}")
    lines = corpus_lines()
    if args.quick:
        lines = lines[:3000]
    vocab, ids = encode(lines)
    seqs = [np.asarray(s, dtype=np.int64) for s in ids]
    lengths = np.array([len(s) - 1 for s in seqs])
    print(f"# lines mode: {len(seqs):,} lines, {int(lengths.sum()):,} predictions, "
          f"V={len(vocab)}, LSTM H={args.hidden}, batch {args.batch}, Adam lr 0.002, "
          f"clip 5, seed {args.seed}")  # fmt: skip
    head = (f"{'dtype':<8}{'bucketing':<10}{'wall s':>8}{'cpu s':>8}{'padding':>9}"
            f"{'epoch loss':>11}{'loss after':>11}")  # fmt: skip
    print("\n## One epoch, bucketing off vs on (same seed, same run)")
    print(head + "\n" + "-" * len(head), flush=True)
    rows = []
    for dtype in args.dtypes.split(","):
        cpu = {}
        for bucketing in (False, True):
            trainer = Trainer(
                ModelConfig(kind="lstm", vocab_size=len(vocab), hidden_size=args.hidden,
                            dtype=dtype),
                TrainConfig(learning_rate=0.002, clip_norm=5.0, batch_size=args.batch,
                            bucketing=bucketing),
                seqs,
                seed=args.seed,
                measure_start=False,
            )  # fmt: skip
            trainer.cursor = trainer._new_cursor()  # drawn as run() would: to measure it
            padding = padding_fraction(lengths, trainer.cursor.order, args.batch)
            wall, start = time.perf_counter(), time.process_time()
            (report,) = trainer.run(1)
            cpu[bucketing] = time.process_time() - start
            wall = time.perf_counter() - wall
            after = trainer.evaluate(trainer.train_sequences).loss
            extra = ""
            if bucketing and not args.no_equal_time:
                spent = time.process_time() + cpu[False] - cpu[True]  # training time only
                list(trainer.run(should_stop=lambda spent=spent: time.process_time() >= spent))
                equal = trainer.evaluate(trainer.train_sequences).loss
                epochs = trainer.epoch + (trainer.cursor.next_batch * args.batch / len(seqs)
                                          if trainer.cursor else 0)  # fmt: skip
                extra = f"  at the CPU time of 'off': {epochs:.2f} epochs, loss {equal:.4f}"
            row = dict(dtype=dtype, bucketing=bucketing, wall=wall, cpu=cpu[bucketing],
                       padding=padding, epoch_loss=report.train_loss, loss_after=after,
                       equal_time=extra,
                       load_average=[round(x, 2) for x in os.getloadavg()])  # fmt: skip
            rows.append(row)
            print(f"{dtype:<8}{'on' if bucketing else 'off':<10}{wall:8.1f}{cpu[bucketing]:8.1f}"
                  f"{100 * padding:8.1f}%{report.train_loss:11.4f}{after:11.4f}{extra}",
                  flush=True)  # fmt: skip
        print(f"{dtype:<8}gain: {cpu[False] / cpu[True]:.2f}× faster per epoch (CPU time)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
