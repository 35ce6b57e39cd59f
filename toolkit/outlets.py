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
import unicodedata
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
    >>> normalise_outlet("Radio Free Europe/Radio Liberty")     # a name, not a URL: kept whole
    'radio free europe/radio liberty'
    """
    if not isinstance(value, str) or not value.strip():
        return None
    if " " in value.strip() and "://" not in value:
        return " ".join(value.lower().split())
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
#: "Anadolu Agency"), tried off its end when the whole name is not known (folded as by _name_key);
#: the shortest first, so that the longest rest is tried first (Focus News Agency: focusnews, then focus)
_NAME_TAILS = tuple(sorted(("newsagency", "informationagency", "agency", "ajansı", "ajansi", "agentliyi",
                            "informasiyaagentliyi",
                            "информационноеагентство", "агентство"), key=len))
#: folded keys that are words, not one outlet's name: never used to place an outlet by name
#: (report.az is "Report", time.com "TIME", edition.cnn.com's label "edition", t.me's "telegram")
_GENERIC_KEYS = frozenset(
    "news report info press media today online times post daily world live politics public star time week "
    "telegram english russian edition staging social heartbeat balkans state india life open mint focus "
    "agenda modern reform babel panorama mirror express nation observer independent sun herald tribune "
    "courier journal gazette gazeta pravda vesti novosti izvestia echo radio channel global review "
    "insider monitor voice globe weekly tv "
    # knowledge list 2 (2026-12-08): words, or names of outlets in several countries (Le Point / Point.md,
    # Index.hr / index.hu, Orient.tm / Orient News, Telegraf in UA, RS and LV, Zerkalo in AZ and BY,
    # Fakty in UA and PL, Público in PT and ES)
    "point index orient enterprise telegraf fakty zerkalo publico salon slate reason telex perfil expresso "
    "proceso".split())
#: the shortest key a domain's label gives (label keys are names less often than registry names are)
_LABEL_KEY_MIN = 6


def _name_key(value) -> str:
    """An outlet name folded for lookup: fullwidth forms (NFKC), case, spaces and punctuation.

    >>> _name_key("The Guardian"), _name_key("OC Media"), _name_key("jam-news"), _name_key("ＴＡＳＳ")
    ('theguardian', 'ocmedia', 'jamnews', 'tass')
    """
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", str(value)).casefold())


def _registrable_label(domain: str) -> str | None:
    """The label a domain is registered under (armenpress of armenpress.am, hurriyet of
    hurriyet.com.tr), or None for a sub-domain (edition.cnn.com, ru.tsn.ua), whose first label is
    an edition's, not the outlet's name."""
    labels = domain.split(".")
    if len(labels) == 2:
        return labels[0]
    if len(labels) == 3 and labels[1] in _COUNTRY_SECOND_LEVEL:
        return labels[0]
    return None


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Folded name -> registry domain, for the outlets findable by name. A row's keys: its name
    (also the part before a parenthesis, without a domain ending such as "Вести.Ru", and without a
    generic tail such as "Ajansı"), its other names in ``toolkit/data/outlet_aliases.csv``
    (Арменпресс) and its registered domain label (armenpress, jamnews) when that
    is at least :data:`_LABEL_KEY_MIN` letters; never a word of :data:`_GENERIC_KEYS`. A key shared
    by outlets in different countries places none of them, and nor do the other keys of those
    outlets (vesti.az, vesti.ru and vesti.ua share "vesti": "Вести" is not placed either)."""
    table = _registry()
    aliases = read_table("data/outlet_aliases.csv")
    unknown = sorted(set(aliases["domain"]) - set(table.index))
    if unknown:
        raise ValueError(f"toolkit/data/outlet_aliases.csv names domains the registry lacks: {unknown}")
    other_names = aliases.groupby("domain")["alias"].apply(list).to_dict()
    keys_of: dict[str, set[str]] = {}
    for domain, name in zip(table.index, table["name"]):
        name = str(name or "")
        names = {name, name.split("(")[0], re.sub(r"\.[A-Za-z]{2,4}$", "", name.split("(")[0].strip()),
                 *other_names.get(domain, [])}
        keys = {_name_key(n) for n in names}
        keys |= {bare for key in list(keys) for bare in _without_tails(key)}   # Anadolu Ajansı -> anadolu
        label = _registrable_label(domain)
        if label and len(_name_key(label)) >= _LABEL_KEY_MIN:
            keys.add(_name_key(label))
        keys_of[domain] = {k for k in keys if len(k) >= 4 and k not in _GENERIC_KEYS}
    countries: dict[str, set] = {}
    for domain, keys in keys_of.items():
        for key in keys:
            countries.setdefault(key, set()).add(_registry_country(table.loc[domain, "country"]))
    ambiguous = {key for key, found in countries.items() if len(found) > 1 or None in found}
    index = {}
    for domain in sorted(keys_of):
        if keys_of[domain] & ambiguous:
            continue
        for key in keys_of[domain]:
            index.setdefault(key, domain)
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
    """``key`` without each generic tail it ends with (:data:`_NAME_TAILS`, shortest first), at
    least 4 letters left."""
    return [key[:-len(tail)] for tail in _NAME_TAILS if key.endswith(tail) and len(key) - len(tail) >= 4]


def _is_domain(value) -> bool:
    return isinstance(value, str) and "." in value and " " not in value


def place_outlets(outlets, urls=None) -> pd.DataFrame:
    """:func:`place_outlet` for many outlets: one row per value of ``outlets`` (same index when
    a Series), columns ``outlet_name``, ``outlet_country``, ``country_source``. An outlet given by
    its name, not a domain, is placed by the domain of the same row's ``urls`` value (an article's
    URL) when the registry knows that domain; else by its name (:func:`place_by_name`, source
    ``name``); else by the URL's country-code domain (an archive's or aggregator's URL, archive.ph,
    news.yahoo.co.jp, names another site, so it comes last).

    Examples
    --------
    >>> place_outlets(["armenpress.am", "news.example.kz", None])["country_source"].fillna("-").tolist()
    ['registry', 'tld', '-']
    >>> place_outlets(["Armenpress", "APA"], urls=["https://archive.ph/x", "https://apa.az/x"])["outlet_country"].tolist()
    ['AM', 'AZ']
    """
    index = outlets.index if isinstance(outlets, pd.Series) else None
    values = list(outlets)
    links = list(urls) if urls is not None else [None] * len(values)
    if len(links) != len(values):
        raise ValueError(f"place_outlets: {len(values)} outlets but {len(links)} urls")
    cache: dict = {}
    rows = []
    for value, link in zip(values, links):
        key = (value, normalise_outlet(link) if not _is_domain(value) else None)
        if key not in cache:
            cache[key] = _place(value, key[1])
        rows.append(cache[key])
    return pd.DataFrame(rows, columns=["outlet_name", "outlet_country", "country_source"], index=index)


def _place(outlet, url_domain) -> tuple[str | None, str | None, str | None]:
    """One row of :func:`place_outlets` (``url_domain``: the domain of the article's URL)."""
    if _is_domain(outlet):
        return place_outlet(outlet)
    by_url = place_outlet(url_domain) if url_domain else (None, None, None)
    if by_url[2] in ("registry", "edition"):
        return by_url
    by_name = place_by_name(outlet) if isinstance(outlet, str) else (None, None, None)
    return by_name if by_name[1] is not None else by_url


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
