"""PCA for the hidden-state map: known answers, NumPy's own SVD, signs and corner cases."""

from __future__ import annotations

import numpy as np
import pytest

from app.analysis.pca import Pca, fit_pca, transform


def _largest_entry_positive(components: np.ndarray) -> bool:
    rows = np.arange(components.shape[0])
    return bool(np.all(components[rows, np.argmax(np.abs(components), axis=1)] > 0))


def test_points_on_a_line_have_one_component() -> None:
    t = np.linspace(-3.0, 5.0, 40)
    direction = np.array([2.0, -1.0, 2.0]) / 3.0
    X = t[:, None] * direction + np.array([1.0, 2.0, 3.0])
    pca = fit_pca(X, k=2)
    assert pca.explained_variance_ratio[0] == pytest.approx(1.0)
    assert pca.explained_variance_ratio[1] == pytest.approx(0.0, abs=1e-12)
    # The direction up to sign; the sign convention makes the largest entry (2/3) positive.
    np.testing.assert_allclose(pca.components[0], direction, atol=1e-12)
    np.testing.assert_allclose(pca.mean, X.mean(axis=0))
    Y = pca.transform(X)
    np.testing.assert_allclose(Y[:, 0], t - t.mean(), atol=1e-12)
    np.testing.assert_allclose(Y[:, 1], 0.0, atol=1e-12)


def test_matches_numpy_svd_up_to_sign() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 6)) @ rng.normal(size=(6, 6))
    pca = fit_pca(X, k=3)
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc)
    for got, want in zip(pca.components, Vt[:3], strict=True):
        assert abs(got @ want) == pytest.approx(1.0)
    np.testing.assert_allclose(pca.explained_variance_ratio, (s**2 / (s**2).sum())[:3])
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(3), atol=1e-12)
    # Variance along each component is the squared singular value / N.
    np.testing.assert_allclose(pca.transform(X).var(axis=0), s[:3] ** 2 / len(X))


def test_sign_convention_is_stable() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 5)) * np.array([5.0, 3.0, 1.0, 0.5, 0.1])
    pca = fit_pca(X)
    assert _largest_entry_positive(pca.components)
    # Mirroring the data does not mirror the components: only the coordinates flip.
    mirrored = fit_pca(-X)
    np.testing.assert_allclose(mirrored.components, pca.components, atol=1e-12)
    np.testing.assert_allclose(mirrored.transform(-X), -pca.transform(X), atol=1e-12)
    # Refitting the same data gives exactly the same answer.
    again = fit_pca(X.copy())
    np.testing.assert_array_equal(again.components, pca.components)


def test_constant_points_give_zeros_not_nan() -> None:
    X = np.full((7, 4), 0.25)
    pca = fit_pca(X)
    Y = pca.transform(X)
    assert Y.shape == (7, 2)
    assert np.all(Y == 0.0)
    np.testing.assert_array_equal(pca.explained_variance_ratio, [0.0, 0.0])
    assert np.all(np.isfinite(pca.components))
    # Still a proper basis, so other points project somewhere sensible.
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(2))


def test_constant_points_with_rounding_in_the_mean() -> None:
    X = np.full((7, 3), 0.1)  # the mean of seven 0.1s is not exactly 0.1
    pca = fit_pca(X)
    np.testing.assert_array_equal(pca.explained_variance_ratio, [0.0, 0.0])
    np.testing.assert_allclose(pca.transform(X), 0.0, atol=1e-15)
    np.testing.assert_array_equal(pca.components, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def test_fewer_points_than_dimensions() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(3, 10))
    pca = fit_pca(X, k=2)
    assert pca.components.shape == (2, 10)
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(2), atol=1e-12)
    assert pca.explained_variance_ratio.sum() == pytest.approx(1.0)  # 3 points span 2 dims
    assert _largest_entry_positive(pca.components)


def test_one_point_and_more_components_than_points() -> None:
    pca = fit_pca(np.array([[1.0, 2.0, 3.0]]), k=2)
    assert np.all(pca.transform(np.array([[1.0, 2.0, 3.0]])) == 0.0)
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(2))


def test_one_dimension() -> None:
    X = np.array([[1.0], [3.0], [2.0], [6.0]])
    pca = fit_pca(X, k=2)
    np.testing.assert_array_equal(pca.components, [[1.0], [0.0]])  # no room for a second
    np.testing.assert_allclose(pca.explained_variance_ratio, [1.0, 0.0])
    np.testing.assert_allclose(transform(pca, X), np.c_[X[:, 0] - 3.0, np.zeros(4)])


def test_projection_of_new_points_and_float32() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 4)).astype(np.float32)
    pca = fit_pca(X)
    assert isinstance(pca, Pca)
    assert pca.mean.dtype == np.float64
    Z = rng.normal(size=(5, 4))
    np.testing.assert_allclose(pca.transform(Z), (Z - pca.mean) @ pca.components.T)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((0, 3)), np.zeros(3), np.zeros((2, 0)), np.array([[np.nan, 1.0], [0.0, 1.0]])],
)
def test_rejects_unusable_input(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        fit_pca(bad)


def test_rejects_wrong_width_and_k() -> None:
    pca = fit_pca(np.eye(3))
    with pytest.raises(ValueError, match="3 dimensions"):
        pca.transform(np.eye(4))
    with pytest.raises(ValueError):
        fit_pca(np.eye(3), k=0)
