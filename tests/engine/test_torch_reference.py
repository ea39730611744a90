"""Equivalence with PyTorch's nn.LSTM / nn.RNN / nn.GRU on the same weights (skipped without it).

Gate layouts differ.  Ours fuse columns ``x Wx + h Wh + b``; PyTorch stacks rows
``x W_ihᵀ + b_ih + h W_hhᵀ + b_hh``.  LSTM: ours ``[f | i | o | g]``, PyTorch
``[i, f, g, o]``.  GRU: both ``[r, z, n]``; our ``b`` is ``b_ih`` (with ``b_hh`` for
r and z folded in) and our ``bhn`` is PyTorch's ``b_hh_n``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.engine.batch import make_batch
from app.engine.network import Network
from app.engine.params import ParamSet
from tests.engine.conftest import KINDS, make_network, random_params, random_sequences

torch = pytest.importorskip("torch")
F = torch.nn.functional
rnn_utils = torch.nn.utils.rnn

V, H = 6, 5


def lstm_order(hidden: int) -> np.ndarray:
    """Our column index of PyTorch's row r: PyTorch [i, f, g, o] from our [f, i, o, g]."""
    f, i, o, g = (np.arange(k * hidden, (k + 1) * hidden) for k in range(4))
    return np.concatenate([i, f, g, o])


def to_torch(kind: str, params: ParamSet, dtype: Any) -> tuple[Any, Any]:
    """PyTorch modules holding exactly our weights."""
    if kind == "lstm":
        rnn = torch.nn.LSTM(V, H)
    elif kind == "gru":
        rnn = torch.nn.GRU(V, H)
    else:
        rnn = torch.nn.RNN(V, H, nonlinearity="tanh")
    linear = torch.nn.Linear(H, V)
    rnn, linear = rnn.to(dtype), linear.to(dtype)
    order = lstm_order(H) if kind == "lstm" else np.arange(params["Wh"].shape[1])
    bias_hh = np.zeros(len(order))
    if kind == "gru":
        bias_hh[2 * H :] = params["bhn"]

    def tensor(a: np.ndarray) -> Any:
        return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64)).to(dtype)

    with torch.no_grad():
        rnn.weight_ih_l0.copy_(tensor(params["Wx"][:, order].T))
        rnn.weight_hh_l0.copy_(tensor(params["Wh"][:, order].T))
        rnn.bias_ih_l0.copy_(tensor(params["b"][order]))
        rnn.bias_hh_l0.copy_(tensor(bias_hh))
        linear.weight.copy_(tensor(params["Wy"].T))
        linear.bias.copy_(tensor(params["by"]))
    return rnn, linear


def torch_grads(kind: str, rnn: Any, linear: Any) -> dict[str, np.ndarray]:
    """PyTorch's gradients in our layout (d b = d b_ih; for the GRU d bhn = d b_hh_n)."""
    order = lstm_order(H) if kind == "lstm" else np.arange(rnn.weight_ih_l0.shape[0])

    def unorder_cols(rows: Any) -> np.ndarray:
        a = rows.detach().double().numpy()
        out = np.empty_like(a)
        out[order] = a
        return out

    out = {
        "Wx": unorder_cols(rnn.weight_ih_l0.grad).T,
        "Wh": unorder_cols(rnn.weight_hh_l0.grad).T,
        "b": unorder_cols(rnn.bias_ih_l0.grad),
        "Wy": linear.weight.grad.double().numpy().T,
        "by": linear.bias.grad.double().numpy(),
    }
    d_bias_hh = unorder_cols(rnn.bias_hh_l0.grad)
    # torch reduces the two bias gradients separately: in float32 they agree to about
    # float32's epsilon of the largest one, not of each entry.
    atol = 1e-6 * np.abs(out["b"]).max()
    if kind == "gru":
        out["bhn"] = d_bias_hh[2 * H :]
        # b_hh for r and z sits in the same sum as b_ih: the same gradient.
        np.testing.assert_allclose(d_bias_hh[: 2 * H], out["b"][: 2 * H], rtol=1e-6, atol=atol)
    else:
        np.testing.assert_allclose(d_bias_hh, out["b"], rtol=1e-6, atol=atol)
    return out


def compare(kind: str, seed: int, dtype: str, tol: dict[str, float]) -> None:
    network: Network = make_network(kind, vocab=V, hidden=H, dtype=dtype)
    params = random_params(network, seed)
    seqs = random_sequences(seed, vocab=V, lengths=(9, 4, 7, 2, 6))
    batch = make_batch(seqs)
    torch_dtype = torch.float64 if dtype == "float64" else torch.float32

    # ours
    grads = params.zeros_like()
    stats = network.loss_and_grads(params, batch, grads)
    trace = network.forward(params, batch.inputs, lengths=batch.lengths)
    assert grads.dtype == np.dtype(dtype) and trace.probs.dtype == np.dtype(dtype)

    # PyTorch, on a packed (variable-length) batch
    rnn, linear = to_torch(kind, params, torch_dtype)
    x = F.one_hot(torch.from_numpy(batch.inputs), V).to(torch_dtype)  # (T, B, V)
    lengths = torch.from_numpy(batch.lengths)
    packed = rnn_utils.pack_padded_sequence(x, lengths, enforce_sorted=False)
    out_packed, final = rnn(packed)
    out, _ = rnn_utils.pad_packed_sequence(out_packed, total_length=batch.steps)  # (T, B, H)
    mask = torch.from_numpy(batch.mask)
    logits = linear(out[mask])  # (N, V), in the same (t, b) order as np.nonzero(mask)
    targets = torch.from_numpy(batch.targets)[mask]
    loss = F.cross_entropy(logits, targets)
    loss.backward()

    t_idx, b_idx = np.nonzero(batch.mask)
    rtol, atol = tol["rtol"], tol["atol"]
    np.testing.assert_allclose(
        trace.hidden[t_idx, b_idx], out[mask].detach().numpy(), rtol=rtol, atol=atol
    )
    probs = F.softmax(logits, dim=-1).detach().numpy()
    np.testing.assert_allclose(trace.probs[t_idx, b_idx], probs, rtol=rtol, atol=atol)
    final_h = final[0] if kind == "lstm" else final
    np.testing.assert_allclose(
        trace.final_state[0], final_h[0].detach().numpy(), rtol=rtol, atol=atol
    )
    if kind == "lstm":
        np.testing.assert_allclose(
            trace.final_state[1], final[1][0].detach().numpy(), rtol=rtol, atol=atol
        )
    assert stats.loss == pytest.approx(loss.item(), rel=tol["rtol"])

    reference = torch_grads(kind, rnn, linear)
    assert set(reference) == set(grads)
    for name, want in reference.items():
        got = grads[name]
        scale = np.abs(want).max()
        assert scale > 1e-4, f"{name}: gradient too small to compare"
        np.testing.assert_allclose(got, want, rtol=tol["grad"], atol=tol["grad"] * scale)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("kind", KINDS)
def test_matches_torch_float64(kind: str, seed: int) -> None:
    compare(kind, seed, "float64", {"rtol": 1e-10, "atol": 1e-12, "grad": 1e-10})


@pytest.mark.parametrize("kind", KINDS)
def test_matches_torch_float32(kind: str) -> None:
    compare(kind, 2, "float32", {"rtol": 2e-5, "atol": 2e-6, "grad": 1e-4})


def test_lstm_gate_order_matters() -> None:
    """The check above can fail: swapping two of our gate blocks breaks the agreement."""
    network = make_network("lstm", vocab=V, hidden=H)
    params = random_params(network, 5)
    ids = random_sequences(5, vocab=V, lengths=(8,))[0]
    ours = network.forward(params, ids[:, None]).hidden[:, 0]
    rnn, _ = to_torch("lstm", params, torch.float64)
    with torch.no_grad():
        ref, _ = rnn(F.one_hot(torch.from_numpy(ids), V).double()[:, None])
    np.testing.assert_allclose(ours, ref[:, 0].numpy(), rtol=1e-12, atol=1e-14)
    swapped = params.copy()
    for name in ("Wx", "Wh"):
        a = swapped[name]
        a[..., :H], a[..., H : 2 * H] = a[..., H : 2 * H].copy(), a[..., :H].copy()
    assert not np.allclose(network.forward(swapped, ids[:, None]).hidden[:, 0], ref[:, 0])
