"""Work spread over forked worker processes, with results in task order.

A helper of the stages that run one function over many independent tasks (the sentence
encoder's batches, the k-means fits of a model selection, the partitions of a cached measure).
Workers are forked, so they share the parent's memory (loaded models, the data of the call)
instead of importing the toolkit and receiving the data pickled; where ``fork`` does not exist
(Windows), the tasks run in this process. A worker never forks workers of its own (two levels
of processes on two cores would only compete), so an inner ``forked_map`` or ``n_jobs`` runs
in the worker's process.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterable, Iterator

#: set in the workers forked by :func:`forked_map`
_IN_WORKER = False
#: environment variable with the default number of processes (``toolkit report`` passes it on)
JOBS_ENV = "TOOLKIT_JOBS"


def _mark_worker() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def can_fork() -> bool:
    """Whether this process may fork workers: the system has ``fork``, and this process is
    neither a worker of :func:`forked_map` nor daemonic (a Dask worker, which may not have children)."""
    return ("fork" in multiprocessing.get_all_start_methods() and not _IN_WORKER
            and not multiprocessing.current_process().daemon)


def default_jobs() -> int:
    """The default number of processes: ``$TOOLKIT_JOBS``, else the number of cores, at most 2
    (the machine this toolkit targets is a 2-core laptop).

    >>> default_jobs() >= 1
    True
    """
    value = os.environ.get(JOBS_ENV)
    if value:
        try:
            jobs = int(value)
        except ValueError:
            raise ValueError(f"{JOBS_ENV} must be a positive number of processes, not {value!r}") from None
        if jobs < 1:
            raise ValueError(f"{JOBS_ENV} must be a positive number of processes, not {value!r}")
        return jobs
    return min(os.cpu_count() or 1, 2)


def forked_map(func: Callable, tasks: Iterable, n_jobs: int) -> Iterator:
    """``func(task)`` for each task, in task order, computed in up to ``n_jobs`` forked processes.

    One process (this one) when ``n_jobs <= 1``, when there is a single task, or when this
    process may not fork (:func:`can_fork`). ``func`` and each task are pickled by
    reference/value as usual; the data they read (module globals set before the call) is
    inherited by the forked workers.

    Examples
    --------
    >>> list(forked_map(abs, [-2, 3, -4], n_jobs=2))
    [2, 3, 4]
    """
    tasks = list(tasks)
    n_jobs = max(1, min(int(n_jobs), len(tasks)))
    if n_jobs == 1 or not can_fork():
        yield from map(func, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_mark_worker) as pool:
        yield from pool.map(func, tasks)
