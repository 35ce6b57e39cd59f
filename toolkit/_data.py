"""Access to the package's data files (registries, lexicons): one reader for all of them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(*parts: str):
    """Path of a file shipped inside the package, e.g. ``data_path('data', 'outlets.csv')``."""
    return PACKAGE_DIR.joinpath(*parts)


@lru_cache(maxsize=None)
def _read_table_cached(relpath: str, sep: str) -> pd.DataFrame:
    path = data_path(*relpath.split("/"))
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, sep=sep, comment="#", dtype=str, keep_default_na=False,
                           quoting=3 if sep == "\t" else 0)


def read_table(relpath: str, sep: str = ",") -> pd.DataFrame:
    """Read a packaged CSV/TSV (``#`` lines are comments) as a DataFrame of strings.

    Returns a copy, so callers may modify it.
    """
    return _read_table_cached(relpath, sep).copy()


def read_wordlist(relpath: str) -> list[str]:
    """Read a packaged word list: one entry per line, ``#`` comments and blank lines skipped."""
    path = data_path(*relpath.split("/"))
    with path.open(encoding="utf-8") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
