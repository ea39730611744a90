"""Principal component analysis with NumPy: the flat picture of the hidden-state map.

The hidden state after each step is a point in ``H`` dimensions.  PCA finds the
directions in which those points spread the most; projecting onto the first two
gives a 2-D map that keeps as much of the spread as any flat picture can.

With the points as the rows of ``X (N, D)`` and their mean ``μ``, the centred data
``Xc = X − μ`` has the singular value decomposition ``Xc = U S Vᵀ``.  The rows of
``Vᵀ`` are the principal directions (``components``), ``S² / Σ S²`` the share of the
total variance along each, and a point's coordinates are ``(x − μ) Vₖ``.  ``V`` and
``S²`` are computed from the eigenvectors and eigenvalues of the smaller of ``XcᵀXc``
``(D, D)`` and ``XcXcᵀ`` ``(N, N)``, with NumPy's ``eigh`` (see :func:`fit_pca`).  At most
:data:`MAX_FIT_POINTS` points, spread evenly through ``X``, are fitted: a 2-D picture
needs no more, and the cost stays bounded (a 1,024-dimensional fit to 2,000 points
takes well under a second).

Singular vectors are only defined up to sign, and a flipped sign would mirror the
map from one epoch to the next.  So each component is turned so that its largest
entry (in absolute value; the first one on a tie) is positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_RANK_TOL = 1e-12  # a completed direction shorter than this is not independent
_FLAT = 1e-24  # total variance below this share of Σx² counts as none
MAX_FIT_POINTS = 2_000
"""Points a projection is fitted to at most (evenly spread through the rows)."""


@dataclass(frozen=True, eq=False)
class Pca:
    """A fitted projection.

    Attributes
    ----------
    mean
        ``(D,)`` mean of the fitted points.
    components
        ``(k, D)`` principal directions as orthonormal rows (a row is zero only when
        ``k > D``: there are not enough dimensions for another direction).
    explained_variance_ratio
        ``(k,)`` share of the total variance along each component; all zeros when the
        points do not vary at all.
    """

    mean: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Coordinates ``(N, k)`` of the points ``X (N, D)`` along the components."""
        X = _as_points(X, "X")
        if X.shape[1] != self.mean.shape[0]:
            raise ValueError(
                f"the projection was fitted on {self.mean.shape[0]} dimensions, not {X.shape[1]}"
            )
        return (X - self.mean) @ self.components.T  # (N, D) @ (D, k) -> (N, k)


def fit_pca(X: np.ndarray, k: int = 2) -> Pca:
    """Fit ``k`` principal components to the rows of ``X (N, D)``.

    Works for any ``N ≥ 1`` and ``D ≥ 1``, including fewer points than dimensions and
    points that do not vary (every coordinate then comes out 0, never NaN).  The result
    is deterministic: the same ``X`` always gives the same signs.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, is empty, holds NaN or infinity, or ``k < 1``.
    """
    X = _as_points(X, "X")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    d = X.shape[1]
    mean = X.mean(axis=0)  # (D,)
    rows = np.unique(np.linspace(0, len(X) - 1, min(len(X), MAX_FIT_POINTS)).round().astype(int))
    Xc = X[rows] - mean  # (M, D) the fitted points, centred
    if len(Xc) >= d:
        # The right singular vectors of Xc are the eigenvectors of XcᵀXc, and its
        # squared singular values the eigenvalues.
        eigenvalues, V = np.linalg.eigh(Xc.T @ Xc)  # (D,), (D, D) ascending
        variance = np.clip(eigenvalues[::-1], 0.0, None)  # (D,) largest first; no -1e-17
        Vt = V[:, ::-1].T  # (D, D) rows = directions, largest variance first
    else:
        # Fewer points than dimensions: XcXcᵀ = U S² Uᵀ is the smaller problem, and
        # each direction with some variance is v = Xcᵀu / s.
        eigenvalues, U = np.linalg.eigh(Xc @ Xc.T)  # (M,), (M, M) ascending
        variance = np.clip(eigenvalues[::-1], 0.0, None)  # (M,) largest first
        r = int(np.count_nonzero(variance > _RANK_TOL * variance[0])) if variance[0] > 0 else 0
        Vt = (Xc.T @ U[:, ::-1][:, :r]).T  # (r, D) rows = directions, unnormalised
        Vt /= np.linalg.norm(Vt, axis=1, keepdims=True)
    total = float(variance.sum())
    # Rounding in the mean leaves constant points a spread of ~1e-32: that is no spread.
    if total > _FLAT * float(np.square(X[rows]).sum()):
        ratio = variance / total
        components = Vt[:k]
    else:  # constant points: no direction is preferred, take the axes in order
        ratio = np.zeros_like(variance)
        components = np.zeros((0, d))
    components = _complete_basis(components, k, d)
    ratio = np.concatenate([ratio[:k], np.zeros(max(0, k - ratio.size))])
    return Pca(mean=mean, components=_fix_signs(components), explained_variance_ratio=ratio)


def transform(pca: Pca, X: np.ndarray) -> np.ndarray:
    """``pca.transform(X)``: the points ``X (N, D)`` as ``(N, k)`` coordinates."""
    return pca.transform(X)


def _as_points(X: np.ndarray, name: str) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty (N, D) array, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return X


def _complete_basis(rows: np.ndarray, k: int, d: int) -> np.ndarray:
    """``rows`` extended to ``k`` orthonormal rows with the coordinate axes (Gram–Schmidt).

    Needed when there are fewer points than components (or none vary); rows beyond
    ``D`` cannot be independent and stay zero.
    """
    basis = list(rows)
    for axis in np.eye(d):
        if len(basis) >= min(k, d):
            break
        v = axis - sum((b @ axis) * b for b in basis)  # (D,) the part no row covers yet
        norm = float(np.linalg.norm(v))
        if norm > _RANK_TOL:
            basis.append(v / norm)
    out = np.zeros((k, d))
    if basis:
        out[: len(basis)] = np.asarray(basis)
    return out


def _fix_signs(components: np.ndarray) -> np.ndarray:
    """Each row turned so that its largest-magnitude entry is positive."""
    if components.size == 0:
        return components
    biggest = np.argmax(np.abs(components), axis=1)  # (k,) first index on a tie
    signs = np.sign(components[np.arange(components.shape[0]), biggest])
    signs[signs == 0] = 1.0  # an all-zero row stays as it is
    return components * signs[:, None]
