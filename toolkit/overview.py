"""Overview tables: how many articles per outlet, language, country and period.

Reads a corpus DataFrame, returns tidy count tables (one row per group and period).
"""
from __future__ import annotations

import pandas as pd

from .schema import CORPUS_COLUMNS, label_missing_groups
from .outlets import country_coverage


def articles_per(corpus: pd.DataFrame, by="outlet", *, freq: str | None = None,
                 include_duplicates: bool = True) -> pd.DataFrame:
    """Count articles per group (and per period).

    Parameters
    ----------
    corpus : corpus DataFrame.
    by : column name or list of names (e.g. ``"outlet"``, ``["outlet", "outlet_country"]``), or None.
    freq : pandas period alias (``"D"``, ``"W"``, ``"M"``) to count per period of ``published``;
        undated articles are left out of per-period counts.
    include_duplicates : count rows whose ``duplicate_of`` is set.

    Returns
    -------
    DataFrame with the ``by`` columns, ``period`` (if ``freq``), ``n_articles`` and ``share``
    (fraction of all counted articles); column names as in :data:`toolkit.schema.RESULT_COLUMNS`.
    Articles without a ``by`` value are counted in the group ``"unknown"``
    (:data:`toolkit.schema.MISSING_GROUP`), not dropped.

    Examples
    --------
    >>> articles_per(corpus, "language")          # doctest: +SKIP
      language  n_articles  share
    0       ru           1    1.0
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for key in keys:
        if key not in corpus:
            raise ValueError(f"by={key!r} is not a column; corpus columns: {list(corpus.columns)}")
    data = corpus if include_duplicates else corpus[corpus["duplicate_of"].isna()]
    data = label_missing_groups(data[list(dict.fromkeys(keys + (["published"] if freq is not None else [])))], keys)
    if freq is not None:
        data = data[data["published"].notna()]
        period = data["published"].dt.tz_convert(None).dt.to_period(freq).dt.start_time.dt.tz_localize("UTC")
        data = data.assign(period=period)
        keys = keys + ["period"]
    if not keys:
        return pd.DataFrame({"n_articles": [len(data)], "share": [1.0]})
    counts = data.groupby(keys, observed=True, dropna=False).size().rename("n_articles").reset_index()
    counts["share"] = counts["n_articles"] / max(len(data), 1)
    sort = ["n_articles"] if freq is None else ["period"]
    return counts.sort_values(sort, ascending=freq is not None, kind="stable").reset_index(drop=True)


def corpus_summary(corpus: pd.DataFrame) -> pd.DataFrame:
    """One-row-per-fact summary: articles, outlets, languages, countries, date range, duplicates."""
    dated = corpus["published"].dropna()
    facts = {
        "articles": len(corpus),
        "outlets": corpus["outlet"].nunique(),
        "languages": corpus["language"].nunique(),
        "outlet countries": corpus["outlet_country"].nunique(),
        "articles placed in a country": country_coverage(corpus),
        "first published": dated.min().date().isoformat() if len(dated) else None,
        "last published": dated.max().date().isoformat() if len(dated) else None,
        "undated articles": int(corpus["published"].isna().sum()),
        "marked near-duplicates": int(corpus["duplicate_of"].notna().sum()),
        "outlets not in the registry": int(corpus.loc[corpus["outlet_name"].isna(), "outlet"].nunique()),
    }
    return pd.DataFrame({"fact": list(facts), "value": [str(v) for v in facts.values()]})


__all__ = ["articles_per", "corpus_summary", "CORPUS_COLUMNS"]
