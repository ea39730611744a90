"""Go on training the exported network in PyTorch, the way the playground trains it.

    python train.py --epochs 20
    python train.py --epochs 20 --device cuda --json

One epoch is one pass over the training sequences of ``data.json``, in batches of the
project's batch size, shuffled by the project's generator (its state is in
``progress.json``, so the order is the one the playground would have drawn next).  A
project in stream mode (``"sequences": "stream"`` in ``config.json``) has one training
sequence, the text: it is cut into (at most) batch-size contiguous streams, read side by
side in windows of ``tbptt_window`` steps, one update per window, the state carried from
window to window (detached: truncated back-propagation through time, as char-rnn does).  Each
update minimises the mean cross-entropy of the batch's next-symbol predictions, clips
the global gradient norm and steps the project's optimiser, continuing from its saved
state (``optimizer.npz``).  The weights, optimiser state and progress are saved after
every epoch; ``predict.py`` reads them.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np
import torch
from model import (
    HERE,
    build_model,
    load_config,
    load_vocabulary,
    save_arrays,
    save_weights,
)

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
}
EVAL_CHUNK = 256  # sequences per evaluation batch


def pad(sequences: list[list[int]], device: str) -> tuple[torch.Tensor, ...]:
    """Time-major inputs, targets and mask ``(T, B)``: step t reads s_t and predicts s_{t+1}."""
    steps = max(len(s) for s in sequences) - 1
    inputs = torch.zeros(steps, len(sequences), dtype=torch.int64)
    targets = torch.zeros_like(inputs)
    mask = torch.zeros(steps, len(sequences), dtype=torch.bool)
    for b, s in enumerate(sequences):
        inputs[: len(s) - 1, b] = torch.tensor(s[:-1])
        targets[: len(s) - 1, b] = torch.tensor(s[1:])
        mask[: len(s) - 1, b] = True
    return inputs.to(device), targets.to(device), mask.to(device)


def batch_loss(
    model: torch.nn.Module, sequences: list[list[int]], window: int, device: str, grad: bool
) -> tuple[float, int, int]:
    """Summed cross-entropy, correct guesses and predictions; with ``grad``, the gradient of
    the *mean* loss is accumulated.  ``window`` > 0: truncated back-propagation through
    time, the state carried but detached every ``window`` steps (the playground's)."""
    inputs, targets, mask = pad(sequences, device)
    n = int(mask.sum())
    window = window or inputs.shape[0]
    state = None
    loss_sum, correct = 0.0, 0
    for start in range(0, inputs.shape[0], window):
        part = slice(start, start + window)
        with torch.set_grad_enabled(grad):
            logits, state = model(inputs[part], state)  # (W, B, V)
            m = mask[part]
            logits, target = logits[m], targets[part][m]  # padding never counts
            loss = torch.nn.functional.cross_entropy(logits, target, reduction="sum")
        if grad:
            (loss / n).backward()
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        loss_sum += float(loss.detach())
        correct += int((logits.argmax(dim=-1) == target).sum())
    return loss_sum, correct, n


def streams_of(ids: list[int], size: int) -> torch.Tensor:
    """A stream cut into ``n`` = min(size, (N − 1) // 2) (at least 1) contiguous pieces side
    by side, ``(L + 1, n)``: piece b is ids[b·L : (b + 1)·L + 1] with L = (N − 1) // n, so
    neighbours share one symbol and every boundary is predicted; the last < n symbols of
    the text are left out (the playground's cut)."""
    n = max(1, min(size, (len(ids) - 1) // 2))
    length = (len(ids) - 1) // n
    pieces = [ids[b * length : (b + 1) * length + 1] for b in range(n)]
    return torch.tensor(pieces, dtype=torch.int64).T.contiguous()


def stream_windows(streams: torch.Tensor, window: int) -> list[slice]:
    """The update windows over ``streams`` ``(L + 1, n)``: [s, s + window), the last shorter."""
    steps = streams.shape[0] - 1
    return [slice(s, min(s + window, steps)) for s in range(0, steps, window)]


def stream_loss(
    model: torch.nn.Module, streams: torch.Tensor, part: slice, state, device: str, grad: bool
):
    """One window of a stream: summed cross-entropy, correct guesses, predictions and the
    state after it (detached); with ``grad``, the gradient of the window's *mean* loss."""
    inputs = streams[part].to(device)
    targets = streams[part.start + 1 : part.stop + 1].to(device)
    with torch.set_grad_enabled(grad):
        logits, state = model(inputs, state)  # (W, n, V)
        logits, target = logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)
        loss = torch.nn.functional.cross_entropy(logits, target, reduction="sum")
    n = target.numel()
    if grad:
        (loss / n).backward()
    state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
    correct = int((logits.argmax(dim=-1) == target).sum())
    return float(loss.detach()), correct, n, state


def evaluate_stream(
    model: torch.nn.Module, ids: list[int], size: int, window: int, device: str
) -> tuple[float, float]:
    """Mean loss and accuracy over a stream cut as for training, the state carried."""
    streams = streams_of(ids, size)
    loss_sum, correct, n, state = 0.0, 0, 0, None
    for part in stream_windows(streams, max(window, 256)):
        s = stream_loss(model, streams, part, state, device, grad=False)
        loss_sum, correct, n, state = loss_sum + s[0], correct + s[1], n + s[2], s[3]
    return loss_sum / n, correct / n


def clip_global_norm(parameters: list[torch.Tensor], max_norm: float) -> float:
    """Scale the gradients so their joint L2 norm is at most ``max_norm`` (0 = off); returns
    the norm before.  Exactly the playground's rule (``clip_grad_norm_`` adds 1e-6)."""
    grads = [p.grad for p in parameters if p.grad is not None]
    norm = float(
        torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    )
    if max_norm > 0 and norm > max_norm and math.isfinite(norm):
        for g in grads:
            g.mul_(max_norm / norm)
    return norm


def make_optimizer(
    config: dict, named: list[tuple[str, torch.nn.Parameter]], lr: float, progress: dict
) -> torch.optim.Optimizer:
    """The project's optimiser on ``named``, carrying on from ``optimizer.npz``."""
    train = config["train"]
    kind, settings = train["optimizer"], dict(train["optimizer_settings"])
    if kind == "adam":
        settings["betas"] = tuple(settings["betas"])
    if kind == "sgd":
        settings["momentum"] = train["momentum"]
    optimizer = OPTIMIZERS[kind]([p for _, p in named], lr=lr, **settings)
    path = HERE / "optimizer.npz"
    steps = progress["optimizer_steps"]
    with np.load(path) as saved:
        arrays = {key: saved[key] for key in saved.files}
    if not arrays or steps == 0:
        return optimizer  # fresh
    state = {}
    for index, (name, _) in enumerate(named):
        slots = {k.split("/")[0]: torch.from_numpy(a) for k, a in arrays.items()
                 if k.split("/", 1)[1] == name}  # fmt: skip
        if kind != "sgd":
            slots["step"] = torch.tensor(float(steps))
        state[index] = slots
    optimizer.load_state_dict(
        {"state": state, "param_groups": optimizer.state_dict()["param_groups"]}
    )
    return optimizer


def save_optimizer(
    optimizer: torch.optim.Optimizer, named: list[tuple[str, torch.nn.Parameter]]
) -> None:
    arrays = {}
    for index, (name, _) in enumerate(named):
        for slot, value in optimizer.state_dict()["state"].get(index, {}).items():
            if slot != "step" and isinstance(value, torch.Tensor):
                arrays[f"{slot}/{name}"] = value.detach().cpu().numpy()
    save_arrays(HERE / "optimizer.npz", arrays)


def encode_all(part: dict, vocabulary: list[str]) -> list[list[int]]:
    ids = {s: i for i, s in enumerate(vocabulary)}
    return [[ids[t] for t in seq] for seq in part["sequences"]]


def evaluate(
    model: torch.nn.Module, sequences: list[list[int]], device: str
) -> tuple[float, float]:
    loss_sum, correct, n = 0.0, 0, 0
    for start in range(0, len(sequences), EVAL_CHUNK):
        s = batch_loss(model, sequences[start : start + EVAL_CHUNK], 0, device, grad=False)
        loss_sum, correct, n = loss_sum + s[0], correct + s[1], n + s[2]
    return loss_sum / n, correct / n


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, required=True, help="how many more epochs")
    p.add_argument("--lr", type=float, help="learning rate (the project's)")
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1, mps … (cpu)")
    p.add_argument("--json", action="store_true", help="one JSON line per epoch")
    args = p.parse_args(argv)
    if args.epochs < 1 or (args.lr is not None and not 0 < args.lr <= 10):
        p.error("--epochs must be ≥ 1 and --lr in (0, 10]")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config, vocabulary = load_config(HERE), load_vocabulary(HERE)
    progress = json.loads((HERE / "progress.json").read_text(encoding="utf-8"))
    data = json.loads((HERE / "data.json").read_text(encoding="utf-8"))
    train_seqs, val_seqs = (
        encode_all(data["train"], vocabulary),
        encode_all(data["validation"], vocabulary),
    )
    train = config["train"]
    torch.manual_seed(config["seed"])  # nothing here draws from torch; your additions might
    model = build_model(config, HERE, args.device).train()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    lr = train["learning_rate"] if args.lr is None else args.lr
    optimizer = make_optimizer(config, named, lr, progress)
    rng = np.random.default_rng()
    rng.bit_generator.state = progress["generator"]
    size = train["batch_size"]
    stream = config.get("sequences", "lines") == "stream"
    for _ in range(args.epochs):
        started = time.perf_counter()
        resume, progress["resume"] = progress["resume"], None
        loss_sum, correct, n, norm_sum, updates = 0.0, 0, 0, 0.0, 0
        if resume is not None:  # the playground stopped mid-epoch: finish that epoch first
            loss_sum, correct, n = resume["loss_sum"], resume["correct"], resume["n_tokens"]
            norm_sum, updates = resume["grad_norm_sum"], resume["updates"]
        if stream:
            steps = stream_updates(model, train_seqs[0], train, resume, args.device)
        else:
            steps = line_updates(model, train_seqs, train, resume, rng, args.device)
        optimizer.zero_grad(set_to_none=False)
        for s in steps:  # each step has computed one update's loss and gradient
            norm = clip_global_norm([p for _, p in named], train["clip_norm"])
            if not (math.isfinite(s[0]) and math.isfinite(norm)):
                print(
                    "train.py: the loss became NaN or infinite; the last saved weights are kept — "
                    "lower the learning rate (--lr)",
                    file=sys.stderr,
                )
                return 1
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
            loss_sum, correct, n = loss_sum + s[0], correct + s[1], n + s[2]
            norm_sum, updates = norm_sum + norm, updates + 1
            progress["optimizer_steps"] += 1
            progress["total_updates"] += 1
        progress["epoch"] += 1
        report = {
            "epoch": progress["epoch"],
            "train_loss": loss_sum / max(n, 1),
            "train_accuracy": correct / max(n, 1),
            "val_loss": None,
            "val_accuracy": None,
            "grad_norm": norm_sum / max(updates, 1),
            "elapsed": time.perf_counter() - started,
            "updates": updates,
            "total_updates": progress["total_updates"],
            "learning_rate": lr,
        }
        if stream and val_seqs and len(val_seqs[0]) >= 2:
            window = train["tbptt_window"]
            val = evaluate_stream(model, val_seqs[0], size, window, args.device)
            report["val_loss"], report["val_accuracy"] = val
        elif val_seqs and not stream:
            report["val_loss"], report["val_accuracy"] = evaluate(model, val_seqs, args.device)
        save(model, optimizer, named, progress, rng)
        if args.json:
            print(json.dumps(report), flush=True)
        else:
            print(describe(report), flush=True)
    return 0


def line_updates(model, sequences, train, resume, rng, device):
    """Lines mode: each batch of lines in the epoch's order (or the rest of an interrupted
    epoch's), yielding its loss sums once its gradient is computed."""
    size = train["batch_size"]
    if resume is not None:
        order = resume["order"][resume["next_batch"] * size :]
    elif train["shuffle"]:
        order = rng.permutation(len(sequences)).tolist()
    else:
        order = list(range(len(sequences)))
    for start in range(0, len(order), size):
        batch = [sequences[i] for i in order[start : start + size]]
        yield batch_loss(model, batch, train["tbptt_window"], device, grad=True)


def stream_updates(model, ids, train, resume, device):
    """Stream mode: each window in turn, the state carried from window to window (from
    zeros at the start of an epoch, or from where an interrupted epoch stopped), yielding
    its loss sums once its gradient is computed."""
    streams = streams_of(ids, train["batch_size"])
    windows = stream_windows(streams, train["tbptt_window"])
    first, state = 0, None
    if resume is not None:
        first = resume["next_batch"]
        if resume.get("state") is not None:
            dtype = next(model.parameters()).dtype
            arrays = [torch.tensor(a, dtype=dtype, device=device)[None] for a in resume["state"]]
            state = tuple(arrays) if len(arrays) > 1 else arrays[0]
    for part in windows[first:]:
        loss_sum, correct, n, state = stream_loss(model, streams, part, state, device, grad=True)
        yield loss_sum, correct, n


def describe(report: dict) -> str:
    line = f"epoch {report['epoch']}: loss {report['train_loss']:.4f}"
    line += f" ({100 * report['train_accuracy']:.1f}% right)"
    if report["val_loss"] is not None:
        line += f", validation loss {report['val_loss']:.4f}"
        line += f" ({100 * report['val_accuracy']:.1f}% right)"
    return line


def save(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    named: list,
    progress: dict,
    rng: np.random.Generator,
) -> None:
    """Weights, optimiser and progress (generator state included), each file replaced whole."""
    save_weights(model, HERE / "weights.npz")
    save_optimizer(optimizer, named)
    progress["generator"] = rng.bit_generator.state
    partial = HERE / "progress.json.partial"
    partial.write_text(json.dumps(progress, indent=1) + "\n", encoding="utf-8")
    partial.replace(HERE / "progress.json")


if __name__ == "__main__":
    sys.exit(main())
