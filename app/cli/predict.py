"""The CLI's ``predict`` and ``evaluate`` commands: using a trained network.

Never imports Qt.  Both read the network's latest weights (the seed's initial weights,
with a note, when the project is untrained).
"""

from __future__ import annotations

import argparse
import copy
from typing import Any

import numpy as np

from app.cli.common import (
    EXIT_OK,
    START_AGAIN,
    CliError,
    finite_or_none,
    note,
    open_project,
    print_json,
    read_text_file,
    show,
    weights,
)
from app.cli.experiment import intervention_from_args, step_values
from app.data import (
    NEWLINE,
    TokenizerSpec,
    UnknownSymbolError,
    Vocabulary,
    display_symbol,
    tokenize_line,
)
from app.data.tokenize import iter_numbered, stream_tokens
from app.engine.batch import make_batch
from app.engine.gates import LECTURE
from app.engine.inference import generate, trace_sequence
from app.engine.network import LossStats
from app.engine.stream import evaluate_stream
from app.engine.text import quoted
from app.project import Project

Item = tuple[int | None, list[str], np.ndarray]  # (line number or None, symbols, ids)


def _read_sequences(
    args: argparse.Namespace, project: Project, vocab: Vocabulary, min_symbols: int
) -> list[Item]:
    """The prefix or the text file's lines, tokenized like the project and encoded.

    In stream mode the prefix, or the whole text file, is one sequence (line breaks are
    symbols); its line number is 1 for a file.
    """
    spec = TokenizerSpec.parse(project.tokenizer)
    prefix = getattr(args, "prefix", None)
    lines: list[tuple[int | None, list[str]]]
    if project.sequences == "stream":
        text = prefix if prefix is not None else read_text_file(args.text_file)
        lines = [(None if prefix is not None else 1, stream_tokens(text, spec))]
    elif prefix is not None:
        lines = [(None, tokenize_line(prefix, spec))]
    else:
        lines = list(iter_numbered(read_text_file(args.text_file), spec))
        if not lines:
            raise CliError(f"text file {args.text_file} has no sequences (it is blank)")
    items: list[Item] = []
    for number, tokens in lines:
        where = "the prefix" if number is None else f"{args.text_file}, line {number}"
        if not tokens:
            raise CliError(f"{where} has no symbols")
        if len(tokens) < min_symbols:
            raise CliError(
                f"{where} has only one symbol, {quoted(tokens[0])}; evaluating needs at least two "
                "(one to read, one to predict)"
            )
        try:
            ids = vocab.encode(tokens)
        except UnknownSymbolError as exc:
            raise CliError(f"{where}: {exc}") from None
        items.append((number, tokens, ids))
    return items


def _check_outputs(values: np.ndarray | float, name: str) -> None:
    """Finite weights so large that sums overflow give NaN predictions: refuse those too."""
    if np.isnan(values).any():
        raise CliError(
            f"{name}: the weights are too large to compute with (the predictions come out "
            f"NaN); {START_AGAIN}"
        )


def _untrained_note(project: Project, name: str) -> None:
    if project.trainer_state is None:
        note(f"note: {name} is untrained; these numbers come from its initial random weights")


def _joiner(spec: TokenizerSpec) -> str:
    if spec.kind == "chars":
        return ""
    if spec.kind == "sep":
        return spec.separator if spec.separator.isspace() else spec.separator + " "
    return " "


def cmd_predict(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    vocab = project.data().vocabulary
    items = _read_sequences(args, project, vocab, min_symbols=1)
    network, params = weights(project, args.project)
    intervention = intervention_from_args(args, project.model)
    experiment = not intervention.is_empty
    seed = project.seed if args.seed is None else args.seed
    rng = np.random.default_rng(seed)
    _untrained_note(project, args.project)
    _wipe_note(intervention.wipe_after, items, args.generate)
    sequences = []
    for _, tokens, ids in items:
        trace = trace_sequence(network, params, ids, intervention)
        probs = trace.probs[:, 0].astype(np.float64)  # (T, V)
        _check_outputs(probs, args.project)
        entry: dict[str, Any] = {
            "tokens": tokens,
            "steps": [
                {"input": t, "probs": p.tolist()} for t, p in zip(tokens, probs, strict=True)
            ],
        }
        if args.gates:
            for t, step in enumerate(entry["steps"]):
                step.update(step_values(trace, t))
        if experiment and not args.json:  # the text shows the untouched guess next to it
            entry["untouched"] = trace_sequence(network, params, ids).probs[:, 0]
        if args.generate:
            if experiment and not args.json:  # the same draws, untouched, for the text
                same = copy.deepcopy(rng)
                plain = generate(network, params, ids, args.generate, args.temperature, same)
                entry["untouched_generated"] = vocab.decode(plain.ids)
            out = generate(network, params, ids, args.generate, args.temperature, rng, intervention)
            _check_outputs(out.probs, args.project)
            entry["generated"] = {
                "tokens": vocab.decode(out.ids),
                "probs": out.probs.tolist(),
                "temperature": args.temperature,
                "seed": None if args.temperature == 0 else seed,
            }
        sequences.append(entry)
    if args.json:
        result: dict[str, Any] = {"vocabulary": list(vocab.symbols), "sequences": sequences}
        if experiment:
            result["interventions"] = intervention.describe()
        print_json(result)
        return EXIT_OK
    if experiment:
        print("experiment (the weights are untouched): " + "; ".join(intervention.describe()))
    join = _joiner(TokenizerSpec.parse(project.tokenizer))
    k = min(args.top, len(vocab))
    names = [show(sym) for sym in vocab.symbols]
    sym_width = max(len(n) for n in names)
    for n, entry in enumerate(sequences):
        if n or experiment:
            print()
        width = max(len(show(t)) for t in entry["tokens"])
        print(f"after each symbol, the {k} most likely next symbols:")
        for t, step in enumerate(entry["steps"]):
            p = np.asarray(step["probs"])
            top = np.argsort(-p, kind="stable")[:k]
            guesses = "   ".join(f"{names[i]:<{sym_width}} {100 * p[i]:5.1f}%" for i in top)
            if "untouched" in entry:
                u = entry["untouched"][t]
                best = int(np.argmax(u))
                guesses += f"   (untouched: {names[best]} {100 * u[best]:.1f}%)"
            print(f"  {show(step['input']):>{width}}  ->  {guesses}")
            if "gates" in step:
                _print_values(step)
        if "generated" in entry:
            g = entry["generated"]
            how = "greedy" if g["temperature"] == 0 else f"temperature {g['temperature']:g}, "
            how += "" if g["seed"] is None else f"seed {g['seed']}"
            print(f"generated ({how}):")
            print(f"  {_text(join, entry['tokens'])} | {_text(join, g['tokens'])}")
            if "untouched_generated" in entry:
                print(f"untouched:\n  {_text(join, entry['tokens'])} | "
                      f"{_text(join, entry['untouched_generated'])}")  # fmt: skip
    return EXIT_OK


def _text(join: str, tokens: list[str]) -> str:
    """Symbols joined for reading; a line break (stream mode) shows as ⏎."""
    return join.join(display_symbol(t) if t == NEWLINE else t for t in tokens)


def _print_values(step: dict[str, Any]) -> None:
    """One line per gate (the lecture's word), then h and c: every unit's value, 2 decimals."""
    rows = [(LECTURE.get(name, name), v) for name, v in step["gates"].items()]
    rows.append(("h", step["hidden"]))
    if "cell" in step:
        rows.append(("c (memory)", step["cell"]))
    for name, values in rows:
        shown = " ".join("  nan" if x is None else f"{x:+.2f}" for x in values)
        print(f"      {name:>13}  {shown}")


def _wipe_note(wipe_after: int | None, items: list[Item], generate: int) -> None:
    """Say so when ``--wipe-after`` comes after every step whose prediction is shown."""
    if wipe_after is None:
        return
    last = max(len(ids) for _, _, ids in items) - 1 + max(generate - 1, 0)
    if wipe_after > last:
        note(
            f"note: --wipe-after {wipe_after} comes after the last prediction shown "
            f"(step {last + 1}), so it changes nothing here"
        )


def cmd_evaluate(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    vocab = project.data().vocabulary
    items = _read_sequences(args, project, vocab, min_symbols=2)
    network, params = weights(project, args.project)
    _untrained_note(project, args.project)
    rows = []
    total = LossStats(0.0, 0, 0)
    for number, tokens, ids in items:
        if project.sequences == "stream":  # one long sequence, read in bounded pieces
            s = evaluate_stream(network, params, ids, 1, project.train.tbptt_window)
        else:
            s = network.evaluate(params, make_batch([ids]))
        _check_outputs(s.loss_sum, args.project)  # (an infinite loss is an honest answer)
        total += s
        rows.append(
            {
                "line": number,
                "tokens": tokens,
                "predictions": s.n_tokens,
                "loss": finite_or_none(s.loss),
                "accuracy": s.accuracy,
            }
        )
    overall = {
        "sequences": len(rows),
        "predictions": total.n_tokens,
        "loss": finite_or_none(total.loss),
        "accuracy": total.accuracy,
    }
    if args.json:
        print_json({"sequences": rows, "overall": overall})
        return EXIT_OK
    print(f"{'line':>6} {'predictions':>11} {'loss':>9} {'accuracy':>9}")
    for r in rows:
        accuracy = f"{100 * r['accuracy']:8.1f}%"
        print(f"{r['line']:>6} {r['predictions']:>11} {_num(r['loss'])} {accuracy}")
    print(
        f"overall: {overall['sequences']} sequences, {overall['predictions']} predictions, "
        f"loss {_num(overall['loss']).strip()} (mean cross-entropy), "
        f"accuracy {100 * overall['accuracy']:.1f}%"
    )
    return EXIT_OK


def _num(x: float | None) -> str:
    return f"{'inf':>9}" if x is None else f"{x:9.4f}"
