"""k-means with its initialisations spread over forked processes, identical to one process.

The cross-lingual topics (:func:`toolkit.fit_topics`, ``method="crosslingual"``) are the
clusters of scikit-learn's ``KMeans(n_clusters=k, n_init=10, random_state=seed)`` (Lloyd's
algorithm from k-means++ starts, Arthur & Vassilvitskii 2007; the run of lowest inertia kept),
each run on one BLAS/OpenMP thread so that the clusters cannot depend on the number of cores.
On 100,000 articles those ten runs took minutes on one core. :func:`kmeans` runs them in
``n_jobs`` forked processes instead and returns the same estimator, to the bit:

- scikit-learn draws all ten starts from ONE random stream (``RandomState(seed)``), one run
  after the other. A k-means++ start of ``k`` centres takes a fixed number of uniform draws
  from it, whatever the data: one for the first centre, then ``2 + int(log k)`` candidates for
  each of the ``k - 1`` others (:func:`draws_per_init`). So the stream's state at the start of
  run ``i`` is ``RandomState(seed)`` advanced by ``i`` times that many draws; run ``i`` is then
  ``KMeans(n_init=1, random_state=<that state>)``, which is what the loop inside
  ``KMeans.fit`` computes for its ``i``-th run (same centred copy of the data, same tolerance,
  same Lloyd iterations).
- Each process hands back its run and the stream's state after it; the parent checks that this
  state is the one it had computed for the next run (so the count of draws above is checked
  on every fit, not assumed). Should it differ (another scikit-learn), the parent fits
  ``KMeans(n_init=10)`` in its own process, as the one-process path does.
- The parent keeps the best run with scikit-learn's rule, in run order: a later run replaces
  the best so far when its inertia is lower and its clustering is not the same up to the
  names of the clusters (:func:`same_clustering`).

Examples
--------
>>> x = np.array([[0.0, 0.0], [0.0, 0.1], [5.0, 5.0], [5.0, 5.1]])
>>> sorted(np.bincount(kmeans(x, 2, random_state=0, n_jobs=2).labels_).tolist())
[2, 2]
"""
from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from .parallel import can_fork, forked_map

#: k-means++ starts of every fit, the run of lowest inertia kept (scikit-learn's ``n_init``)
N_INIT = 10

#: the data of the running :func:`kmeans` (features, k), inherited by its forked workers
_DATA: tuple | None = None


def draws_per_init(k: int) -> int:
    """Uniform draws one k-means++ start of ``k`` centres takes from the random stream
    (scikit-learn's ``_kmeans_plusplus``): one for the first centre, ``2 + int(log k)``
    candidates for each other.

    >>> draws_per_init(2), draws_per_init(18)
    (3, 69)
    """
    return 1 + (k - 1) * (2 + int(np.log(k)))


def init_states(random_state: int, k: int, n_init: int = N_INIT) -> list[tuple]:
    """The state of ``RandomState(random_state)`` at the start of each of the ``n_init`` runs,
    and after the last (``n_init + 1`` states)."""
    stream = np.random.RandomState(random_state)
    states = [stream.get_state()]
    for _ in range(n_init):
        stream.random_sample(draws_per_init(k))
        states.append(stream.get_state())
    return states


def _same_state(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and tuple(a[2:]) == tuple(b[2:])


def same_clustering(labels: np.ndarray, best: np.ndarray, k: int) -> bool:
    """scikit-learn's test of two runs (``_is_same_clustering``): every cluster of ``labels``
    lies within one cluster of ``best`` (the same clusters up to their names).

    >>> same_clustering(np.array([0, 0, 1]), np.array([1, 1, 0]), 2), same_clustering(np.array([0, 0, 1]), np.array([0, 1, 1]), 2)
    (True, False)
    """
    labels, best = np.asarray(labels), np.asarray(best)
    named = np.full(k, -1)
    named[labels] = best  # each cluster's label in best, from one of its units (any one: see below)
    return bool(np.array_equal(named[labels], best))  # holds iff all its units have that label


def _single_run(task):
    """Run ``i`` of the fit: ``KMeans(n_init=1)`` from the stream's state at its start, on one
    thread; returns the fitted estimator and the stream's state after it."""
    from sklearn.cluster import KMeans

    state = task
    features, k = _DATA
    stream = np.random.RandomState()
    stream.set_state(state)
    with threadpool_limits(limits=1):
        model = KMeans(n_clusters=k, n_init=1, random_state=stream).fit(features)
    return model, stream.get_state()


def kmeans(features: np.ndarray, k: int, random_state: int = 0, n_jobs: int = 1):
    """scikit-learn's ``KMeans(n_clusters=k, n_init=10, random_state=random_state)`` fitted on
    ``features`` on one thread per process, its ten runs in up to ``n_jobs`` forked processes
    (see the module's text: the result is the same for any ``n_jobs``, to the bit).

    Parameters
    ----------
    features : array (units x dimensions).
    k : number of clusters; random_state : integer seed of the k-means++ starts.
    n_jobs : processes (forked; one when this process may not fork, e.g. a worker).

    Returns
    -------
    A fitted ``sklearn.cluster.KMeans`` (``labels_``, ``cluster_centers_``, ``inertia_``,
    ``n_iter_``); with several processes the estimator of the best run.
    """
    from sklearn.cluster import KMeans

    integer_seed = isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)
    if int(n_jobs) <= 1 or not can_fork() or not integer_seed:
        with threadpool_limits(limits=1):
            return KMeans(n_clusters=k, n_init=N_INIT, random_state=random_state).fit(features)
    states = init_states(int(random_state), k)
    global _DATA
    _DATA = (features, k)
    try:
        runs = list(forked_map(_single_run, states[:-1], n_jobs))
    finally:
        _DATA = None
    if not all(_same_state(after, expected) for (_, after), expected in zip(runs, states[1:])):
        # the starts took another number of draws than draws_per_init says: scikit-learn's own loop
        return kmeans(features, k, random_state, n_jobs=1)
    best = None
    for model, _ in runs:  # scikit-learn's rule, in run order
        if best is None or (model.inertia_ < best.inertia_ and not same_clustering(model.labels_, best.labels_, k)):
            best = model
    return best
