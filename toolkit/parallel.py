"""Work spread over forked worker processes, with results in task order.

A helper of the stages that run one function over many independent tasks (the sentence
encoder's batches, the k-means fits of a model selection). Workers are forked, so they share
the parent's memory (loaded models, the data of the call) instead of importing the toolkit and
receiving the data pickled; where ``fork`` does not exist (Windows), the tasks run in this process.
"""
from __future__ import annotations

import multiprocessing
from typing import Callable, Iterable, Iterator


def forked_map(func: Callable, tasks: Iterable, n_jobs: int) -> Iterator:
    """``func(task)`` for each task, in task order, computed in up to ``n_jobs`` forked processes.

    One process (this one) when ``n_jobs <= 1``, when there is a single task, when the system
    cannot fork, or in a daemonic process (a Dask worker), which may not have children. ``func`` and each task are pickled by reference/value as usual; the data
    they read (module globals set before the call) is inherited by the forked workers.

    Examples
    --------
    >>> list(forked_map(abs, [-2, 3, -4], n_jobs=2))
    [2, 3, 4]
    """
    tasks = list(tasks)
    n_jobs = max(1, min(int(n_jobs), len(tasks)))
    if n_jobs == 1 or "fork" not in multiprocessing.get_all_start_methods() \
            or multiprocessing.current_process().daemon:
        yield from map(func, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(func, tasks)
