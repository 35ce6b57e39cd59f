"""Outlets: a domain -> the outlet's name and the country it is based in.

Reads the outlet registry ``toolkit/data/outlets.csv``; returns for each outlet domain its
``outlet_name``, ``outlet_country`` and ``country_source`` (see :func:`place_outlets`).
"""
from __future__ import annotations

import re

import pandas as pd

from ._data import read_table


def normalise_outlet(value) -> str | None:
    """A domain in registry form: lowercase, no scheme, no 'www.', no path.

    Examples
    --------
    >>> normalise_outlet("https://www.Politico.eu/article/x")
    'politico.eu'
    """
    if not isinstance(value, str) or not value.strip():
        return None
    host = re.sub(r"^[a-z]+://", "", value.strip().lower()).split("/")[0].split(":")[0]
    return host[4:] if host.startswith("www.") else host or None


def registry() -> pd.DataFrame:
    """The outlet registry indexed by domain: ``name``, ``country``."""
    return read_table("data/outlets.csv").drop_duplicates("domain").set_index("domain")
