"""The corpus schema: the one place where the corpus DataFrame's columns are defined.

Every stage after ingest reads a DataFrame with these columns; :func:`validate_corpus`
checks one, and :func:`conform` casts a DataFrame to the documented dtypes.

Time-zone rule for ``published``: times written with an offset (ISO 8601 ``+03:00`` or
``Z``) are converted to UTC; times written without one (the aggregator layout prints
``2023-10-7 11:22`` with no zone) are kept as written and labelled UTC, so that
``published`` is always ``datetime64[ns, UTC]`` and comparable across outlets. A date
without a time is midnight.
"""
from __future__ import annotations

import warnings

import pandas as pd

#: column -> (dtype, meaning). The order is the column order of a corpus.
CORPUS_COLUMNS: dict[str, tuple[str, str]] = {
    "doc_id": ("string", "16 hex digits of SHA-256 over outlet, title and cleaned text; "
               "stable across runs and machines"),
    "outlet": ("category", "the outlet's domain without 'www.', e.g. 'ru.tsn.ua'; missing if unknown"),
    "outlet_name": ("category", "the outlet's name from the registry toolkit/data/outlets.csv; "
                    "missing for domains not in the registry"),
    "outlet_country": ("category", "ISO 3166-1 alpha-2 code of the country where the outlet is "
                       "based (registry, edition, country-code domain or outlet name: see country_source); "
                       "missing when it cannot be told"),
    "country_source": ("category", "where outlet_country came from: 'registry' (toolkit/data/"
                       "outlets.csv), 'edition' (a sub-domain of a registry outlet, e.g. ru.tsn.ua), "
                       "'tld' (the country-code domain, e.g. .az; generic ones never count), "
                       "'name' (an outlet given by its name, not a domain, found among the registry's "
                       "names: Armenpress, Trend News Agency); missing when outlet_country is"),
    "title": ("string", "the headline"),
    "published": ("datetime64[ns, UTC]", "publication time (see the time-zone rule above)"),
    "language": ("category", "ISO 639-1 code detected from title and text ('und' if undetermined)"),
    "text": ("string", "the cleaned body; paragraphs separated by one blank line"),
    "tags": ("object", "list of str: keywords from the source (the seed layout's last line)"),
    "cited_sources": ("object", "list of str: outlets the article says it reports from, "
                      "e.g. ['Politico'] from 'Об этом сообщает Politico'"),
    "url": ("string", "the article's address when the source gives one"),
    "source_file": ("string", "path of the file the article came from (as given to ingest)"),
    "duplicate_of": ("string", "doc_id of an earlier near-identical article, else missing"),
}

#: optional columns that keep their dtype when present
OPTIONAL_COLUMNS: dict[str, tuple[str, str]] = {
    "raw_text": ("string", "the body before cleaning (ingest(..., keep_raw=True))"),
    "author": ("string", "author when the source gives one"),
}

LIST_COLUMNS = ("tags", "cited_sources")

# ------------------------------------------------------------------------------ units and results
#: every unit table and every per-unit result is keyed by these (``segment_id`` is 0 for a whole article)
UNIT_KEYS = ("doc_id", "segment_id")

#: unit table columns (toolkit.make_units) -> (dtype, meaning)
UNIT_COLUMNS: dict[str, tuple[str, str]] = {
    "doc_id": ("string", "the article's doc_id"),
    "segment_id": ("Int64", "0, 1, ... in text order within the article; 0 for unit='article' (the whole article)"),
    "text": ("string", "the unit's text"),
    "language": ("category", "ISO 639-1 code by the language rule (toolkit.languages.resolve_languages)"),
    "start": ("Int64", "character offset of the unit in the article's text"),
    "end": ("Int64", "end offset (exclusive) in the article's text"),
}

#: the ONE list of corpus metadata columns that travel with every unit and every measure's
#: result (when the input has them), in this order after the result's own columns
META_COLUMNS = ("outlet", "outlet_name", "outlet_country", "country_source", "published")

#: names of summary columns, the same in every table: a mean is ``mean``, counts say what they count
RESULT_COLUMNS: dict[str, str] = {
    "mean": "mean of the measure over the group's units that have a value",
    "ci_low": "lower end of the confidence interval of the mean",
    "ci_high": "upper end of the confidence interval of the mean",
    "share": "a fraction in [0, 1] (of articles, units or matches, as the table says)",
    "n_articles": "number of distinct articles (doc_id) behind a row",
    "n_units": "number of units (articles, paragraphs or sentences) behind a row",
    "n_mentions": "number of mentions (actor names, terms) behind a row",
    "n_sources": "number of attributed sources behind a row (sources())",
    "n_scored": "number of units with a value (not missing) behind a mean",
    "n_matched": "number of lexicon words found in a unit",
    "n_words": "number of word tokens in a unit",
    "n_occurrences": "number of occurrences (of a term or a word pair) behind a row",
    "n_target": "occurrences of a term in the target group (keyness)",
    "n_reference": "occurrences of a term in the reference group (keyness)",
    "n_negative": "number of mentions labelled negative (-1) behind a row",
    "n_positive": "number of mentions labelled positive (+1) behind a row",
    "n_outlets": "number of distinct outlets behind a row",
    "n_outlets_positive": "outlets of the positive side (naming_auc: the Armenian-based) behind a row",
    "n_outlets_negative": "outlets of the negative side (naming_auc: the Azerbaijani-based) behind a row",
}

#: summary columns renamed in 0.2.0, per table: {0.1 name: 0.2 name}. :func:`old_result_names`
#: gives a table its 0.1 names back for code written against 0.1 (until 0.3.0).
RENAMED_RESULT_COLUMNS: dict[str, dict[str, str]] = {
    "articles_per": {"articles": "n_articles"},
    "over_time": {"value": "mean", "n": "n_scored"},
    "tone_by": {"n": "n_scored"},
    "source_profile": {"n": "n_sources"},
    "frequencies": {"count": "n_occurrences", "docs": "n_units"},
    "collocations": {"count": "n_occurrences"},
    "keyness": {"count_target": "n_target", "count_reference": "n_reference"},
    "prevalence": {"share": "mean"},
    "naming_by_outlet": {"naming_index": "mean"},
    "concept_counts": {"count": "n_mentions"},
}


#: the label of a group whose value is missing (an outlet without a known country ...) in the
#: grouped tables :func:`toolkit.overview.articles_per`, :func:`toolkit.frequencies` and
#: :func:`toolkit.sourcing.source_profile`: such rows are counted as a group of their own, never dropped
MISSING_GROUP = "unknown"


def label_missing_groups(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A copy of ``table`` whose missing values in the text grouping columns ``keys`` (category,
    string or object dtype) read :data:`MISSING_GROUP` (``"unknown"``), so that a group counted
    from them says what it is; dtypes are kept, and numbers or dates stay missing. Label before
    grouping: a value ``"unknown"`` already there joins the missing ones in one group.

    Examples
    --------
    >>> frame = pd.DataFrame({"outlet_country": pd.Categorical(["AM", None]), "n_articles": [2, 1]})
    >>> label_missing_groups(frame, ["outlet_country"])["outlet_country"].tolist()
    ['AM', 'unknown']
    """
    out = table.copy()
    for key in keys:
        values = out[key]
        if not values.isna().any():
            continue
        if isinstance(values.dtype, pd.CategoricalDtype):
            if MISSING_GROUP not in values.cat.categories:
                values = values.cat.add_categories([MISSING_GROUP])
            out[key] = values.fillna(MISSING_GROUP)
        elif isinstance(values.dtype, pd.StringDtype) or values.dtype == object:
            out[key] = values.where(values.notna(), MISSING_GROUP)
    return out


def old_result_names(table: pd.DataFrame, function: str) -> pd.DataFrame:
    """A copy of ``table`` (made by ``function``) with its summary columns under their 0.1 names.

    Deprecated from the start: it lets code written against 0.1 run for one release (removed
    in 0.3.0); rename the columns it reads instead (:data:`RENAMED_RESULT_COLUMNS`).

    Examples
    --------
    >>> import warnings; warnings.simplefilter("ignore", DeprecationWarning)
    >>> old_result_names(pd.DataFrame({"term": ["a"], "n_occurrences": [2], "n_units": [1]}), "frequencies").columns.tolist()
    ['term', 'count', 'docs']
    """
    if function not in RENAMED_RESULT_COLUMNS:
        raise ValueError(f"no renamed columns for {function!r}; tables with renamed columns: {sorted(RENAMED_RESULT_COLUMNS)}")
    warnings.warn(f"the 0.1 column names of {function}() are deprecated and go in 0.3.0; read "
                  f"{sorted(RENAMED_RESULT_COLUMNS[function].values())} instead", DeprecationWarning, stacklevel=2)
    return table.rename(columns={new: old for old, new in RENAMED_RESULT_COLUMNS[function].items()})


def empty_corpus() -> pd.DataFrame:
    """A corpus with no rows and every column typed.

    Examples
    --------
    >>> empty_corpus().columns[:3].tolist()
    ['doc_id', 'outlet', 'outlet_name']
    """
    return conform(pd.DataFrame({c: [] for c in CORPUS_COLUMNS}))


def _as_list(value) -> list:
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [value] if value else []
    try:  # numpy arrays and tuples (Parquet gives arrays back)
        return [str(v) for v in list(value)]
    except TypeError:
        return [str(value)]


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` with the schema's columns, in order, cast to their dtypes.

    Missing schema columns are added empty; extra columns are kept after them.

    Examples
    --------
    >>> str(conform(pd.DataFrame({"title": ["A"]}))["title"].dtype)
    'string'
    """
    out = df.copy()
    spec = {**CORPUS_COLUMNS, **{k: v for k, v in OPTIONAL_COLUMNS.items() if k in out}}
    for col, (dtype, _) in spec.items():
        if col not in out:
            out[col] = pd.Series([None] * len(out), index=out.index, dtype="object")
        if col in LIST_COLUMNS:
            out[col] = pd.Series([_as_list(v) for v in out[col]], index=out.index, dtype="object")
        elif dtype.startswith("datetime64"):
            out[col] = pd.to_datetime(out[col], utc=True, errors="coerce").astype(dtype)
        elif dtype == "category":
            values = out[col].astype("string")
            out[col] = values.astype(pd.CategoricalDtype(sorted(values.dropna().unique())))
        else:
            out[col] = out[col].astype(dtype)
    for col in out.columns:
        # extra text columns (kept from a user's table) become real strings, not object soup
        if col not in spec and out[col].dtype == object and out[col].map(lambda v: v is None or isinstance(v, str)
                                                                       or v != v).all():
            out[col] = out[col].astype("string")
    ordered = list(spec) + [c for c in out.columns if c not in spec]
    return out[ordered].reset_index(drop=True)


def validate_corpus(df: pd.DataFrame) -> pd.DataFrame:
    """Check that ``df`` is a corpus DataFrame; return it unchanged or raise ``ValueError``.

    Checks: every schema column present with its dtype, ``doc_id`` unique and non-missing,
    list columns hold lists of str, ``duplicate_of`` points to an existing ``doc_id``.

    Examples
    --------
    >>> validate_corpus(empty_corpus()).shape[0]
    0
    """
    problems = []
    for col, (dtype, _) in CORPUS_COLUMNS.items():
        if col not in df:
            problems.append(f"missing column {col!r}")
        elif str(df[col].dtype) != dtype and not (dtype == "string" and isinstance(df[col].dtype, pd.StringDtype)):
            problems.append(f"column {col!r} has dtype {df[col].dtype}, expected {dtype}")
    if "doc_id" in df:
        if df["doc_id"].isna().any():
            problems.append("doc_id has missing values")
        dup = df["doc_id"][df["doc_id"].duplicated()]
        if len(dup):
            problems.append(f"doc_id not unique: {list(dup.unique()[:3])}")
    for col in LIST_COLUMNS:
        if col in df and not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in df[col]):
            problems.append(f"column {col!r} must hold lists of str")
    if "duplicate_of" in df and "doc_id" in df:
        dangling = set(df["duplicate_of"].dropna()) - set(df["doc_id"])
        if dangling:
            problems.append(f"duplicate_of points to unknown doc_id(s): {sorted(dangling)[:3]}")
    if problems:
        raise ValueError("not a valid corpus DataFrame: " + "; ".join(problems))
    return df


def describe_schema() -> pd.DataFrame:
    """The corpus schema as a table (column, dtype, meaning) for notebooks and the README."""
    rows = [(c, d, m) for c, (d, m) in {**CORPUS_COLUMNS, **OPTIONAL_COLUMNS}.items()]
    return pd.DataFrame(rows, columns=["column", "dtype", "meaning"])
