"""Timelines: measures of articles (frame scores, naming index, tone) averaged per period.

Reads any per-unit table with ``published`` and value columns, returns a tidy table
(``period``, optional group, ``variable``, ``mean``, ``n_scored``, ``ci_low``, ``ci_high``)
ready for :func:`toolkit.figures.timeline_means`.
"""
from __future__ import annotations

import pandas as pd

from .stats import bootstrap_mean_ci


def over_time(table: pd.DataFrame, columns, *, freq: str = "M", by: str | None = None,
              ci: float = 0.95, n_boot: int = 1000, random_state: int = 0) -> pd.DataFrame:
    """Mean of ``columns`` per period (and group).

    Parameters
    ----------
    table : per-unit table with a ``published`` column (e.g. :func:`toolkit.framing.frames` output).
    columns : column name or list of names to average.
    freq : pandas period alias: ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.
    by : optional grouping column (e.g. ``"outlet_country"``).
    ci : coverage of the interval of each mean: percentile bootstrap over the units
        (:func:`toolkit.stats.bootstrap_mean_ci`, ``n_boot`` resamples, seeded with
        ``random_state``), so it stays within the measure's range; missing for n < 2.

    Returns
    -------
    DataFrame ``period`` (UTC timestamp of the period start), ``by`` (if given), ``variable``,
    ``mean`` (over units with a value), ``n_scored`` (units with a value), ``ci_low``,
    ``ci_high``. Undated units are left out. Column names as in :data:`toolkit.schema.RESULT_COLUMNS`.

    Examples
    --------
    >>> t = pd.DataFrame({"published": pd.to_datetime(["2023-09-01", "2023-09-20", "2023-10-02"], utc=True),
    ...                   "military": [1.0, 3.0, 5.0]})
    >>> over_time(t, "military")[["mean", "n_scored"]].values.tolist()
    [[2.0, 2.0], [5.0, 1.0]]
    """
    columns = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in columns + ["published"] + ([by] if by else []) if c not in table]
    if missing:
        raise ValueError(f"columns not in the table: {missing}")
    data = table[table["published"].notna()]
    period = data["published"].dt.tz_convert(None).dt.to_period(freq).dt.start_time.dt.tz_localize("UTC")
    keys = ["period"] + ([by] if by else [])
    long = data.assign(period=period)[keys + columns].melt(id_vars=keys, var_name="variable", value_name="value")
    long["value"] = long["value"].astype(float)
    rows = []
    for name, part in long.dropna(subset=["value"]).groupby(keys + ["variable"], observed=True, sort=True):
        mean, low, high = bootstrap_mean_ci(part["value"].to_numpy(), ci=ci, n_boot=n_boot, random_state=random_state)
        rows.append((*name, float(mean), len(part), float(low), float(high)))
    return pd.DataFrame(rows, columns=keys + ["variable", "mean", "n_scored", "ci_low", "ci_high"]).astype(
        {"n_scored": "int64"})
