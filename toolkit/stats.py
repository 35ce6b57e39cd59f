"""Statistics shared by the measures: bootstrap confidence intervals of means.

Reads arrays of per-unit values, returns interval bounds.
"""
from __future__ import annotations

import numpy as np

_BLOCK_CELLS = 4_000_000  # resample counts held at once (32 MB)


def bootstrap_mean_ci(values, ci: float = 0.95, n_boot: int = 1000, random_state: int = 0):
    """Percentile bootstrap interval of the column means of ``values``.

    Parameters
    ----------
    values : array of shape (n,) or (n, k): one row per sampled unit (e.g. article).
    ci : coverage of the interval.
    n_boot : bootstrap resamples.
    random_state : seed; the same inputs give the same interval.

    Returns
    -------
    (mean, low, high), each of shape (k,) (or scalars for 1-D input). With one unit the
    interval is missing (NaN): a single article says nothing about variability.

    Examples
    --------
    >>> mean, low, high = bootstrap_mean_ci([1.0, 2.0, 3.0, 4.0])
    >>> float(mean), bool(low < mean < high)
    (2.5, True)
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, not {ci!r}")
    data = np.asarray(values, dtype=float)
    flat = data.ndim == 1
    if flat:
        data = data[:, None]
    n = data.shape[0]
    mean = data.mean(axis=0) if n else np.full(data.shape[1], np.nan)
    if n < 2:
        low = high = np.full(data.shape[1], np.nan)
    else:
        rng = np.random.default_rng(random_state)
        # each resample: n draws with replacement, as counts per unit (bincount), in blocks of
        # resamples so that memory stays bounded for groups of 100,000 articles
        block = max(1, min(n_boot, _BLOCK_CELLS // n))
        means = np.empty((n_boot, data.shape[1]))
        for done in range(0, n_boot, block):
            draws = rng.integers(0, n, size=(min(block, n_boot - done), n))
            # one bincount for the whole block: row r's draws are counted in cells r*n ... r*n+n-1
            offsets = np.arange(len(draws))[:, None] * n
            counts = np.bincount((draws + offsets).ravel(), minlength=len(draws) * n).reshape(len(draws), n).astype(float)
            means[done:done + len(draws)] = counts @ data / n
        alpha = (1 - ci) / 2
        low, high = np.quantile(means, [alpha, 1 - alpha], axis=0)
    if flat:
        return mean[0], low[0], high[0]
    return mean, low, high
