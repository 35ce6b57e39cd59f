"""k-means runs spread over forked processes (toolkit.kmeans): the same clusters, to the bit,
as scikit-learn's ten runs in one process. The feature matrices are invented for these tests
(seeded normal blobs), not taken from any corpus."""
import numpy as np
import pytest
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

import toolkit.kmeans as km
from toolkit.parallel import can_fork


def blobs(n=1200, d=12, centres=9, seed=0):
    """Overlapping invented blobs: k-means runs from different starts end at different inertias."""
    rng = np.random.default_rng(seed)
    means = rng.normal(scale=2.0, size=(centres, d))
    return means[rng.integers(0, centres, n)] + rng.normal(size=(n, d))


def reference(x, k, seed):
    with threadpool_limits(limits=1):
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)


def run_inertias(x, k, seed):
    """Inertia of each of the ten runs, each from the stream state init_states gives it."""
    values = []
    for state in km.init_states(seed, k)[:-1]:
        stream = np.random.RandomState()
        stream.set_state(state)
        with threadpool_limits(limits=1):
            values.append(KMeans(n_clusters=k, n_init=1, random_state=stream).fit(x).inertia_)
    return values


@pytest.mark.skipif(not can_fork(), reason="needs fork (not on Windows)")
@pytest.mark.parametrize("k, seed", [(7, 0), (18, 3)])
def test_two_processes_give_scikit_learns_ten_runs_to_the_bit(k, seed):
    x = blobs(seed=seed)
    inertias = run_inertias(x, k, seed)
    # the choice among runs matters here: they differ, and the best is not the first
    assert len(set(inertias)) > 1 and int(np.argmin(inertias)) > 0
    want = reference(x, k, seed)
    assert want.inertia_ == min(inertias)  # the runs are scikit-learn's own
    for n_jobs in (1, 2, 3):
        got = km.kmeans(x, k, seed, n_jobs=n_jobs)
        assert np.array_equal(got.labels_, want.labels_)
        assert np.array_equal(got.cluster_centers_, want.cluster_centers_)
        assert got.inertia_ == want.inertia_ and got.n_iter_ == want.n_iter_


def test_draws_per_start_known_values_and_the_stream_states():
    # 1 + (k - 1) * (2 + floor(ln k)): ln 2 = 0.69, ln 18 = 2.89, ln 40 = 3.69
    assert [km.draws_per_init(k) for k in (2, 18, 40)] == [3, 69, 196]
    x = blobs(n=300, d=5, seed=1)
    for k in (2, 18, 40):
        states = km.init_states(5, k)
        assert len(states) == km.N_INIT + 1
        for start, after in zip(states[:-1], states[1:]):  # what one run of KMeans.fit draws
            stream = np.random.RandomState()
            stream.set_state(start)
            KMeans(n_clusters=k, n_init=1, random_state=stream).fit(x)
            assert km._same_state(stream.get_state(), after)


@pytest.mark.skipif(not can_fork(), reason="needs fork (not on Windows)")
def test_a_wrong_count_of_draws_falls_back_to_one_process(monkeypatch):
    x = blobs(seed=2)
    want = reference(x, 7, 2)
    monkeypatch.setattr(km, "draws_per_init", lambda k: 5)  # not what k-means++ draws
    calls = []
    monkeypatch.setattr(km, "_same_state", lambda a, b: calls.append(1) or False)
    got = km.kmeans(x, 7, 2, n_jobs=2)
    assert calls  # the processes' states were checked, found wrong, and the fit redone
    assert np.array_equal(got.labels_, want.labels_) and np.array_equal(got.cluster_centers_, want.cluster_centers_)


def test_same_clustering_is_scikit_learns_rule():
    assert km.same_clustering(np.array([0, 0, 1, 2]), np.array([2, 2, 0, 1]), 3)
    assert not km.same_clustering(np.array([0, 0, 1, 2]), np.array([2, 1, 0, 1]), 3)
    # scikit-learn only asks that each cluster lies within one cluster of the best (merges pass)
    assert km.same_clustering(np.array([0, 1, 2]), np.array([0, 0, 1]), 3)
    from sklearn.cluster._k_means_common import _is_same_clustering

    rng = np.random.default_rng(4)
    for _ in range(300):
        k = int(rng.integers(1, 5))
        a = rng.integers(0, k, 10).astype(np.int32)
        b = rng.permutation(k).astype(np.int32)[a] if rng.random() < 0.5 else rng.integers(0, k, 10).astype(np.int32)
        assert km.same_clustering(a, b, k) == _is_same_clustering(a, b, k)

