"""Running measures on a Dask cluster: the same functions over the corpus' partitions.

Reads a scheduler address (or ``"processes"`` for a local cluster) and a list of
:class:`toolkit.cache.Partition`; returns one table per partition, in order, computed with
``dask.dataframe``'s ``map_partitions`` on the cluster's workers. Nothing here schedules work
itself: ``dask.distributed`` does.
"""
from __future__ import annotations

import atexit
from typing import Callable

import pandas as pd

#: local cluster used for ``scheduler="processes"``: 2 single-threaded worker processes
LOCAL_WORKERS = 2
_CLIENTS: dict = {}


def local_cluster(n_workers: int = LOCAL_WORKERS, **options):
    """Start a ``distributed.LocalCluster`` of ``n_workers`` single-threaded processes on this
    machine (the caller closes it)."""
    from distributed import LocalCluster

    settings = {"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
                "dashboard_address": None, "silence_logs": 40}
    settings.update(options)
    return LocalCluster(**settings)


def client_for(scheduler):
    """A ``distributed.Client`` for ``scheduler``: an existing Client, a ``tcp://`` (or
    ``tls://``, ``inproc://``) address, or ``"processes"`` (a local cluster started once per
    Python process and closed at exit). Clients are reused for the same address."""
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler
    if not isinstance(scheduler, str) or not scheduler:
        raise ValueError(f"scheduler must be 'processes', a scheduler address such as tcp://10.0.0.5:8786, "
                         f"or a distributed.Client; not {scheduler!r}")
    if scheduler in _CLIENTS and _CLIENTS[scheduler].status == "running":
        return _CLIENTS[scheduler]
    if scheduler == "processes":
        cluster = local_cluster()
        client = Client(cluster)
        atexit.register(_close, client, cluster)
    elif "://" in scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise ConnectionError(f"no Dask scheduler answers at {scheduler} ({exc}); start one "
                                  "(`dask scheduler`, a SLURMCluster, ...) or run without --scheduler") from None
        atexit.register(_close, client)
    else:
        raise ValueError(f"scheduler must be 'processes' or an address like tcp://host:8786, not {scheduler!r}")
    _CLIENTS[scheduler] = client
    return client


def _close(*things) -> None:
    for thing in things:
        try:
            thing.close()
        except Exception:  # noqa: BLE001 - closing at interpreter exit must never raise
            pass


def _apply(frame: pd.DataFrame, func: Callable, params: dict) -> pd.DataFrame:
    return func(frame, **params)


def map_partitions(func: Callable, params: dict, parts, scheduler, *, progress=None) -> list[pd.DataFrame]:
    """``func(partition, **params)`` for every partition on the cluster; the tables in order.

    The partitions become a ``dask.dataframe`` (``from_map`` over their loaders: a folder
    dataset is read by the workers, a corpus in memory is sent to them) and ``func`` runs
    through ``map_partitions``. ``progress(rows)`` is called as each partition finishes.
    """
    import dask
    import dask.dataframe as dd
    from distributed import as_completed

    client = client_for(scheduler)
    # Dask would otherwise turn text columns into its own string type: the tables must come back
    # exactly as the functions made them, identical to an in-process run
    with dask.config.set({"dataframe.convert-string": False}):
        frames = dd.from_map(_load, parts, meta=parts[0].load().iloc[0:0], enforce_metadata=False,
                             divisions=[None] * (len(parts) + 1))
        # the output's columns and dtypes, from two rows computed here (cheap, and no guessing by Dask)
        meta = func(parts[0].load().iloc[0:2], **params).iloc[0:0]
        tables = frames.map_partitions(_apply, func, params, meta=meta, enforce_metadata=False,
                                       align_dataframes=False)
        futures = client.compute(tables.to_delayed())
    rows = {future.key: part.rows for future, part in zip(futures, parts)}
    for future in as_completed(futures):
        if future.status == "error":
            future.result()  # raises the worker's exception here, with its traceback
        if progress is not None:
            progress(rows[future.key])
    return client.gather(futures)


def _load(part) -> pd.DataFrame:
    return part.load()
