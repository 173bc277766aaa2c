"""Cluster, explained-variance and elbow plots: render to PNG and hold the promised data."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")  # no display needed; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

from scratchml.cluster import DBSCAN, KMeans  # noqa: E402
from scratchml.datasets import make_blobs  # noqa: E402
from scratchml.decomposition import PCA  # noqa: E402
from scratchml.plotting import plot_clusters, plot_elbow, plot_explained_variance  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png(ax, tmp_path, name):
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path)
    plt.close(ax.figure)
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_plot_clusters_draws_samples_and_centres(tmp_path):
    X, _ = make_blobs(n_samples=120, centers=3, random_state=0)
    km = KMeans(3, random_state=0).fit(X)
    ax = plot_clusters(X, km.labels_, km.cluster_centers_)
    samples, centres = ax.collections
    np.testing.assert_allclose(samples.get_offsets(), X)
    np.testing.assert_allclose(centres.get_offsets(), km.cluster_centers_)
    _png(ax, tmp_path, "clusters")


def test_plot_clusters_greys_out_noise(tmp_path):
    X, _ = make_blobs(n_samples=80, centers=2, random_state=1)
    X = np.vstack([X, [[50.0, 50.0]]])
    labels = DBSCAN(eps=1.5, min_samples=3).fit(X).labels_
    assert labels[-1] == -1
    ax = plot_clusters(X, labels)
    noise, samples = ax.collections
    np.testing.assert_allclose(noise.get_offsets(), X[labels == -1])
    assert len(samples.get_offsets()) == np.sum(labels != -1)
    _png(ax, tmp_path, "noise")


def test_plot_clusters_errors():
    with pytest.raises(ValueError, match="at least 2 columns"):
        plot_clusters(np.zeros((5, 1)), np.zeros(5))
    with pytest.raises(ValueError, match="one entry per sample"):
        plot_clusters(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="columns like X"):
        plot_clusters(np.zeros((5, 2)), np.zeros(5), centers=np.zeros((2, 3)))


def test_plot_explained_variance_bars_and_cumulative(tmp_path):
    X = np.random.default_rng(0).standard_normal((100, 5)) * [5, 3, 2, 1, 0.5]
    pca = PCA().fit(X)
    ax = plot_explained_variance(pca)
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, pca.explained_variance_ratio_)
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_ydata(), np.cumsum(pca.explained_variance_ratio_))
    assert line.get_ydata()[-1] == pytest.approx(1.0)  # all components: all the variance
    _png(ax, tmp_path, "pca")
    with pytest.raises(ValueError, match="non-empty"):
        plot_explained_variance([])


def test_plot_elbow_inertia_falls_and_silhouette_peaks_at_true_k(tmp_path):
    X, _ = make_blobs(n_samples=150, centers=3, cluster_std=0.5, random_state=2)
    ax = plot_elbow(X, range(2, 6), random_state=0)
    inertia = ax.lines[0].get_ydata()
    assert np.all(np.diff(inertia) < 0)
    twin = [a for a in ax.figure.axes if a is not ax][0]
    silhouette = twin.lines[0].get_ydata()
    assert int(np.argmax(silhouette)) + 2 == 3  # well-separated blobs: k = 3 wins
    _png(ax, tmp_path, "elbow")
    with pytest.raises(ValueError, match=">= 2"):
        plot_elbow(X, [1, 2])
