"""Outlets: a domain -> the outlet's name and the country it is based in, and how that is known.

Reads the outlet registry ``toolkit/data/outlets.csv`` and the country-code TLD table
``toolkit/data/cctld.csv``; :func:`place_outlets` returns for each domain ``outlet_name``,
``outlet_country`` and ``country_source`` (``registry``, ``edition``, ``tld`` or missing).
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ._data import read_table

#: where ``outlet_country`` came from, in the order the sources are tried
COUNTRY_SOURCES = ("registry", "edition", "tld")
#: the registry's code for "base could not be established" (ISO 3166 user-assigned ZZ)
UNKNOWN_COUNTRY = "ZZ"
#: second-level labels that a country's registry assigns itself: under a ccTLD used worldwide
#: (``.co``, ``.me`` ...) they still mark the country (``eltiempo.com.co``, ``gov.me``)
_COUNTRY_SECOND_LEVEL = {"com", "net", "org", "gov", "edu", "ac", "mil", "co", "or", "go", "gob", "gouv"}


def normalise_outlet(value) -> str | None:
    """A domain in registry form: lowercase, no scheme, no 'www.', no path, no trailing dot.

    Examples
    --------
    >>> normalise_outlet("https://www.Politico.eu/article/x")
    'politico.eu'
    """
    if not isinstance(value, str) or not value.strip():
        return None
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.strip().lower()).split("/")[0].split("?")[0]
    host = host.rsplit("@", 1)[-1].split(":")[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host or None


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    return read_table("data/outlets.csv").drop_duplicates("domain").set_index("domain")


def registry() -> pd.DataFrame:
    """The outlet registry indexed by domain: ``name``, ``country``, ``editions``, ``note``.

    ``editions`` is ``elsewhere`` for outlets whose sub-domain editions are based in other
    countries (international broadcasters' language services, platforms), else empty.
    """
    return _registry().copy()


@lru_cache(maxsize=1)
def _cctld() -> dict[str, str]:
    table = read_table("data/cctld.csv")
    return dict(zip(table["tld"], table["country"]))


def country_from_tld(domain) -> str | None:
    """The ISO country of a domain's country-code TLD, or ``None``.

    ``None`` for generic TLDs (``.com``, ``.org``, ``.eu``, ``.news`` ...) and for ccTLDs used
    worldwide (``.tv``, ``.io``, ``.co``, ``.me``, ``.fm``, ``.ai``, ``.su`` ...; see
    ``toolkit/data/cctld.csv``) unless a second level the country assigns itself precedes them.

    Examples
    --------
    >>> [country_from_tld(d) for d in ["news.am", "bbc.co.uk", "aa.com.tr", "meduza.io", "eltiempo.com.co"]]
    ['AM', 'GB', 'TR', None, 'CO']
    """
    domain = normalise_outlet(domain)
    if not domain or "." not in domain:
        return None
    labels = domain.split(".")
    table = _cctld()
    country = table.get(labels[-1])
    if country is None:
        return None  # not a country code: generic (.com, .news, .eu ...)
    if country:
        return country
    if len(labels) >= 3 and labels[-2] in _COUNTRY_SECOND_LEVEL:
        return labels[-1].upper()
    return None


def _registry_country(value) -> str | None:
    return value if isinstance(value, str) and value and value != UNKNOWN_COUNTRY else None


def place_outlet(domain) -> tuple[str | None, str | None, str | None]:
    """``(outlet_name, outlet_country, country_source)`` of one domain.

    In order: the registry (``registry``); a sub-domain of a registry outlet, e.g. the language
    edition ``ru.tsn.ua`` of ``tsn.ua`` (``edition``; not for outlets whose editions are based
    elsewhere, such as an international broadcaster's language services); the country-code TLD
    (``tld``); else missing. A registry row with country ``ZZ`` (base unknown) stops the search:
    the outlet was looked at and could not be placed. The language an outlet writes in is never
    used: an Armenian-language site on ``.com`` may be a diaspora outlet in the US.

    Examples
    --------
    >>> place_outlet("ru.tsn.ua")
    ('ТСН', 'UA', 'registry')
    >>> place_outlet("sport.tsn.ua")
    ('ТСН', 'UA', 'edition')
    >>> place_outlet("example-news.az")
    (None, 'AZ', 'tld')
    >>> place_outlet("example-news.com")
    (None, None, None)
    """
    domain = normalise_outlet(domain)
    if not domain:
        return None, None, None
    table = _registry()
    if domain in table.index:
        row = table.loc[domain]
        country = _registry_country(row["country"])
        return row["name"] or None, country, "registry" if country else None
    labels = domain.split(".")
    for start in range(1, len(labels) - 1):
        base = ".".join(labels[start:])
        if base in table.index:
            row = table.loc[base]
            country = _registry_country(row["country"])
            if row.get("editions", "") == "elsewhere" or country is None:
                return None, None, None  # an edition of a network based elsewhere: not guessed
            return row["name"] or None, country, "edition"
    country = country_from_tld(domain)
    return None, country, "tld" if country else None


def place_outlets(outlets) -> pd.DataFrame:
    """:func:`place_outlet` for many domains: one row per value of ``outlets`` (same index when
    a Series), columns ``outlet_name``, ``outlet_country``, ``country_source``.

    Examples
    --------
    >>> place_outlets(["armenpress.am", "news.example.kz", None])["country_source"].fillna("-").tolist()
    ['registry', 'tld', '-']
    """
    index = outlets.index if isinstance(outlets, pd.Series) else None
    values = list(outlets)
    cache = {v: place_outlet(v) for v in set(values) if isinstance(v, str)}
    rows = [cache.get(v, (None, None, None)) if isinstance(v, str) else (None, None, None) for v in values]
    return pd.DataFrame(rows, columns=["outlet_name", "outlet_country", "country_source"], index=index)


def country_coverage(corpus: pd.DataFrame) -> str:
    """One sentence: how many articles have an outlet country, and from which source.

    Examples
    --------
    >>> df = pd.DataFrame({"country_source": ["registry", "tld", "tld", None]})
    >>> country_coverage(df)
    '3 of 4 articles placed in a country: registry 1, domain 2; 1 without a country'
    """
    n = len(corpus)
    if "country_source" in corpus and ("outlet_country" not in corpus
                                       or corpus["country_source"].notna().sum() == corpus["outlet_country"].notna().sum()):
        return coverage_sentence(corpus["country_source"].value_counts().to_dict(), n)
    # countries set without a recorded source (a table made elsewhere, a 0.1 snapshot)
    placed = int(corpus["outlet_country"].notna().sum()) if "outlet_country" in corpus else 0
    return f"{placed} of {n} articles placed in a country" + (f"; {n - placed} without a country" if n - placed else "")


def coverage_sentence(counts: dict, n: int) -> str:
    """The sentence of :func:`country_coverage` from articles per ``country_source`` and the total.

    Examples
    --------
    >>> coverage_sentence({"registry": 95, "tld": 317}, 523)
    '412 of 523 articles placed in a country: registry 95, domain 317; 111 without a country'
    """
    labels = {"registry": "registry", "edition": "edition of a registry outlet", "tld": "domain"}
    parts = [f"{labels[s]} {int(counts[s])}" for s in COUNTRY_SOURCES if counts.get(s, 0)]
    placed = int(sum(counts.get(s, 0) for s in COUNTRY_SOURCES))
    text = f"{placed} of {n} articles placed in a country" + (": " + ", ".join(parts) if parts else "")
    return text + (f"; {n - placed} without a country" if n - placed else "")
