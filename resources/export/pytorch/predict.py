"""What comes next? The exported network's predictions, in PyTorch.

    python predict.py --prefix "pizza sushi"
    python predict.py --prefix "pizza sushi" --generate 6 --json

Prints, after each symbol of the prefix, the most likely next symbols (``--top``), and
with ``--generate N`` lets the network go on by N symbols, each prediction fed back in.
``--json`` prints exactly what ``lstm-playground predict --json`` prints for the project.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata

import numpy as np
import torch
from model import HERE, build_model, load_config, load_vocabulary


class UsageError(Exception):
    """Bad input: one line on stderr, exit code 2."""


def tokenize(line: str, tokenizer: str, punctuation: str) -> list[str]:
    """The symbols of one line, exactly as the playground splits it (see config.json)."""
    head, _, separator = tokenizer.partition(":")
    kind = head.strip().lower()
    line = unicodedata.normalize("NFC", line.rstrip("\r\n"))
    if kind == "words":  # each punctuation mark alone, or a run of anything else but space
        marks = re.escape(punctuation)
        return re.findall(rf"[{marks}]|[^\s{marks}]+", line)
    if kind == "chars":
        return list(line.strip())
    separator = unicodedata.normalize("NFC", separator)
    return [t for t in (part.strip() for part in line.split(separator)) if t]


def stream_tokenize(text: str, tokenizer: str, punctuation: str) -> list[str]:
    """A prefix read as a project in stream mode reads its text: each line break (typed, or
    written ⏎) is the symbol "\\n"; with characters, spaces that start a line are symbols
    (indentation), and so are spaces at the prefix's very end (the next symbol may follow
    them), while those ending an earlier line are dropped."""
    lines = re.split(r"\r\n|\r|\n", text.replace("⏎", "\n"))
    chars = tokenizer.partition(":")[0].strip().lower() == "chars"
    tokens: list[str] = []
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        if chars:
            line = unicodedata.normalize("NFC", line)
            tokens += list(line if last else line.rstrip())
        else:
            tokens += tokenize(line, tokenizer, punctuation)
        if not last:
            tokens.append("\n")
    return tokens


def encode(tokens: list[str], vocabulary: list[str]) -> list[int]:
    ids = {s: i for i, s in enumerate(vocabulary)}
    unknown = list(dict.fromkeys(t for t in tokens if t not in ids))
    if unknown:
        names = ", ".join(repr(t) for t in unknown[:20])
        raise UsageError(f"unknown symbol(s) {names}; the vocabulary is {vocabulary[:20]}")
    return [ids[t] for t in tokens]


def pick(probs: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """The most likely symbol (temperature 0), else one drawn from p^(1/T), renormalised."""
    if temperature == 0:
        return int(np.argmax(probs))
    with np.errstate(divide="ignore", over="ignore"):
        log_p = np.log(probs.astype(np.float64))
        logits = (log_p - log_p.max()) / temperature
    weights = np.exp(logits)
    if not weights.sum() > 0:
        return int(np.argmax(probs))
    return int(rng.choice(len(weights), p=weights / weights.sum()))


@torch.no_grad()
def predict(
    model: torch.nn.Module,
    ids: list[int],
    generate: int,
    temperature: float,
    rng: np.random.Generator,
    device: str = "cpu",
) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Next-symbol probabilities after each prefix symbol ``(T, V)``, then the generated
    ids and the distribution each was drawn from ``(N, V)`` (all float64)."""
    x = torch.tensor(ids, dtype=torch.int64, device=device)[:, None]  # (T, 1)
    logits, state = model(x)
    probs = torch.softmax(logits[:, 0], dim=-1).cpu().numpy()  # (T, V), the model's dtype
    last = probs[-1]
    out_ids, out_probs = [], []
    for _ in range(generate):
        out_probs.append(last.astype(np.float64))
        out_ids.append(pick(last, temperature, rng))
        step = torch.tensor([[out_ids[-1]]], dtype=torch.int64, device=device)
        logits, state = model(step, state)
        last = torch.softmax(logits[-1, 0], dim=-1).cpu().numpy()
    vocab = probs.shape[1]
    generated = np.array(out_probs, dtype=np.float64).reshape(len(out_probs), vocab)
    return probs.astype(np.float64), out_ids, generated


def show(symbol: str) -> str:
    """A symbol as printed: quoted when it is blank or holds spaces or control characters;
    a line break (a stream's symbol) as ⏎."""
    if symbol == "\n":
        return "⏎"
    if symbol.isprintable() and not any(c.isspace() for c in symbol):
        return symbol
    return repr(symbol)


def joiner(tokenizer: str) -> str:
    head, _, separator = tokenizer.partition(":")
    kind = head.strip().lower()
    if kind == "chars":
        return ""
    if kind == "sep":
        return separator if separator.isspace() else separator + " "
    return " "


def print_text(entry: dict, vocabulary: list[str], top: int, tokenizer: str) -> None:
    k = min(top, len(vocabulary))
    names = [show(s) for s in vocabulary]
    sym_width = max(len(n) for n in names)
    width = max(len(show(t)) for t in entry["tokens"])
    print(f"after each symbol, the {k} most likely next symbols:")
    for step in entry["steps"]:
        p = np.asarray(step["probs"])
        best = np.argsort(-p, kind="stable")[:k]
        guesses = "   ".join(f"{names[i]:<{sym_width}} {100 * p[i]:5.1f}%" for i in best)
        print(f"  {show(step['input']):>{width}}  ->  {guesses}")
    if "generated" in entry:
        g = entry["generated"]
        how = "greedy" if g["temperature"] == 0 else f"temperature {g['temperature']:g}, "
        how += "" if g["seed"] is None else f"seed {g['seed']}"
        join = joiner(tokenizer)
        print(f"generated ({how}):")
        shown = [[show(t) if t == "\n" else t for t in entry["tokens"]],
                 [show(t) if t == "\n" else t for t in g["tokens"]]]  # fmt: skip
        print(f"  {join.join(shown[0])} | {join.join(shown[1])}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--prefix", required=True, help='the symbols to start from, e.g. "a b"')
    p.add_argument("--top", type=int, default=3, help="how many likely next symbols (3)")
    p.add_argument("--generate", type=int, default=0, help="then go on by N symbols (0)")
    p.add_argument("--temperature", type=float, default=0.0, help="0 = greedy; above 0 sample")
    p.add_argument("--seed", type=int, help="seed for sampling (the project's seed)")
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1, mps … (cpu)")
    p.add_argument("--json", action="store_true", help="print the playground's JSON")
    args = p.parse_args(argv)
    if args.top < 1 or args.generate < 0 or not 0 <= args.temperature <= 100:
        p.error("--top must be ≥ 1, --generate ≥ 0 and --temperature 0…100")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config, vocabulary = load_config(HERE), load_vocabulary(HERE)
    try:
        split = stream_tokenize if config.get("sequences") == "stream" else tokenize
        tokens = split(args.prefix, config["tokenizer"], config["punctuation"])
        if not tokens:
            raise UsageError("the prefix has no symbols")
        ids = encode(tokens, vocabulary)
    except UsageError as exc:
        print(f"predict.py: error: {exc}", file=sys.stderr)
        return 2
    model = build_model(config, HERE, args.device).eval()
    seed = config["seed"] if args.seed is None else args.seed
    rng = np.random.default_rng(seed)
    probs, out_ids, out_probs = predict(
        model, ids, args.generate, args.temperature, rng, args.device
    )
    entry: dict = {
        "tokens": tokens,
        "steps": [{"input": t, "probs": p.tolist()} for t, p in zip(tokens, probs, strict=True)],
    }
    if args.generate:
        entry["generated"] = {
            "tokens": [vocabulary[i] for i in out_ids],
            "probs": out_probs.tolist(),
            "temperature": args.temperature,
            "seed": None if args.temperature == 0 else seed,
        }
    if args.json:
        result = {"vocabulary": vocabulary, "sequences": [entry]}
        print(json.dumps(result, ensure_ascii=False, allow_nan=False))
    else:
        print_text(entry, vocabulary, args.top, config["tokenizer"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
