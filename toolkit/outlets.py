"""Outlets: a domain -> the outlet's name and the country it is based in, and how that is known.

Reads the outlet registry ``toolkit/data/outlets.csv`` and the country-code TLD table
``toolkit/data/cctld.csv``; :func:`place_outlets` returns for each domain ``outlet_name``,
``outlet_country`` and ``country_source`` (``registry``, ``edition``, ``tld``, ``name`` or missing).
An outlet given by its name instead of a domain ("Armenpress", "Trend News Agency", as database
exports give sources) is placed by the domain of its article's URL when there is one, else by the
registry's names (``name``).
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ._data import read_table

#: where ``outlet_country`` came from, in the order the sources are tried
COUNTRY_SOURCES = ("registry", "edition", "tld", "name")
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


#: what a source name in a database export may add to the outlet's name ("Trend News Agency",
#: "Anadolu Agency"), tried off its end when the whole name is not known (folded as by _name_key)
_NAME_TAILS = ("newsagency", "informationagency", "agency", "ajansı", "ajansi", "agentliyi", "gazakalutyun",
               "информационноеагентство", "агентство")
#: first labels of registry domains that are words, not names ("news" of news.am, "report" of report.az)
_GENERIC_LABELS = frozenset("news report day info press media today online times post daily world new "
                            "live politics public star time top week".split())


def _name_key(value) -> str:
    """An outlet name folded for lookup: case, spaces, punctuation and a leading "the" removed.

    >>> _name_key("The Guardian"), _name_key("OC Media"), _name_key("jam-news")
    ('guardian', 'ocmedia', 'jamnews')
    """
    folded = re.sub(r"[\W_]+", "", str(value).casefold())
    return folded[3:] if folded.startswith("the") and len(folded) > 6 else folded


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Folded name -> registry domain, for the outlets findable by name: each row's name (and the
    part before a parenthesis) and its domain's first label (armenpress of armenpress.am, jamnews of
    jam-news.net) unless that label is a word; a key is kept only where every registry row that has
    it has one and the same known country."""
    table = _registry()
    rows: dict[str, list[str]] = {}
    for domain, name in zip(table.index, table["name"]):
        label = domain.split(".")[0]
        keys = {_name_key(name), _name_key(str(name).split("(")[0])}
        keys |= {bare for key in list(keys) for bare in _without_tails(key)}   # Anadolu Ajansı -> anadolu
        if label not in _GENERIC_LABELS:
            keys.add(_name_key(label))
        for key in keys:
            if len(key) >= 4:
                rows.setdefault(key, []).append(domain)
    index = {}
    for key, domains in rows.items():
        countries = {_registry_country(table.loc[d, "country"]) for d in domains}
        if len(countries) == 1 and None not in countries:
            index[key] = sorted(domains)[0]
    return index


def place_by_name(name) -> tuple[str | None, str | None, str | None]:
    """``(outlet_name, outlet_country, "name")`` of an outlet given by its name, from the registry's
    names and domains (:func:`_name_index`), also without a generic tail ("News Agency"); else
    ``(None, None, None)``.

    Examples
    --------
    >>> place_by_name("Armenpress"), place_by_name("Trend News Agency")[1], place_by_name("Some Blog")
    (('Armenpress', 'AM', 'name'), 'AZ', (None, None, None))
    """
    key = _name_key(name or "")
    index = _name_index()
    for candidate in [key, *_without_tails(key)]:
        if candidate in index:
            name_, country, _ = place_outlet(index[candidate])
            return name_, country, "name"
    return None, None, None


def _without_tails(key: str) -> list[str]:
    """``key`` without each generic tail it ends with (:data:`_NAME_TAILS`), at least 4 letters left."""
    return [key[:-len(tail)] for tail in _NAME_TAILS if key.endswith(tail) and len(key) - len(tail) >= 4]


def _is_domain(value) -> bool:
    return isinstance(value, str) and "." in value and " " not in value


def place_outlets(outlets, urls=None) -> pd.DataFrame:
    """:func:`place_outlet` for many outlets: one row per value of ``outlets`` (same index when
    a Series), columns ``outlet_name``, ``outlet_country``, ``country_source``. An outlet given by
    its name, not a domain, is placed by the domain of the same row's ``urls`` value (an article's
    URL) when that places it, else by name (:func:`place_by_name`, source ``name``).

    Examples
    --------
    >>> place_outlets(["armenpress.am", "news.example.kz", None])["country_source"].fillna("-").tolist()
    ['registry', 'tld', '-']
    >>> place_outlets(["Armenpress", "APA"], urls=[None, "https://apa.az/x"])["outlet_country"].tolist()
    ['AM', 'AZ']
    """
    index = outlets.index if isinstance(outlets, pd.Series) else None
    values = list(outlets)
    links = list(urls) if urls is not None else [None] * len(values)
    cache: dict = {}
    rows = []
    for value, link in zip(values, links):
        key = (value, link if not _is_domain(value) else None)
        if key not in cache:
            cache[key] = _place(value, link)
        rows.append(cache[key])
    return pd.DataFrame(rows, columns=["outlet_name", "outlet_country", "country_source"], index=index)


def _place(outlet, url) -> tuple[str | None, str | None, str | None]:
    """One row of :func:`place_outlets`."""
    if _is_domain(outlet):
        return place_outlet(outlet)
    if isinstance(url, str) and url.strip():
        placed = place_outlet(url)
        if placed[1] is not None:
            return placed
    return place_by_name(outlet) if isinstance(outlet, str) else (None, None, None)


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
    labels = {"registry": "registry", "edition": "edition of a registry outlet", "tld": "domain",
              "name": "outlet name"}
    parts = [f"{labels[s]} {int(counts[s])}" for s in COUNTRY_SOURCES if counts.get(s, 0)]
    placed = int(sum(counts.get(s, 0) for s in COUNTRY_SOURCES))
    text = f"{placed} of {n} articles placed in a country" + (": " + ", ".join(parts) if parts else "")
    return text + (f"; {n - placed} without a country" if n - placed else "")
