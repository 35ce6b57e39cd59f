"""Resources: the lexicons, gazetteer, naming pairs, frames, cues, stopwords and trained models
a measure uses, as immutable objects with a name, version and SHA-256.

Reads the package's registry ``toolkit/data/resources.csv`` (kind, language, name, version, path,
sha256, provenance) or a user's file; returns :class:`Resource` objects. Measures take a resource
as an argument (``frames(corpus, lexicon="my_frames.csv")``); package files are only the
default. Nothing here is global state a call could change: the same arguments give the same
resource, and every result records the resources it used in ``DataFrame.attrs["resources"]``
(:func:`resources_manifest` turns them into MANIFEST.json entries).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from ._data import PACKAGE_DIR, read_table

#: kind -> (format, required columns for tables, what it is)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "frames": ("table", ("frame", "lang", "term"), "frame dictionaries (frames())"),
    "naming": ("table", ("pair", "side", "lang", "term", "strength"), "contested naming pairs (naming())"),
    "naming_context": ("table", ("rule", "lang", "pair", "side", "before", "mention", "after", "effect"),
                       "context rules of the naming index: when a term is not the outlet's own usage (naming())"),
    "naming_baseline": ("table", ("side", "pattern"), "regular-expression baseline of the naming index"),
    "gazetteer": ("table", ("id", "kind", "lang", "name"), "actors and places (actors())"),
    "concepts": ("table", ("concept", "kind", "lang", "term"), "shared concept ids per language (cross-lingual topics)"),
    "source_cues": ("table", ("lang", "term", "kind"), "nouns naming a source (sources())"),
    "speech_verbs": ("table", ("lang", "term"), "attribution verbs and phrases (sources())"),
    "citation_cues": ("table", ("lang", "cue"), "cues of a re-reported outlet (cited_sources())"),
    "phrases": ("table", ("lang", "phrase"), "multi-word expressions merged by tokenize()"),
    "negators": ("table", ("lang", "word", "window"), "negation words of the sentiment lexicon scorer"),
    "opinion_verbs": ("table", ("lang", "word"), "verbs whose subject holds the opinion (targeted_sentiment())"),
    "lemma_overrides": ("table", ("lang", "form", "lemma"), "corrections to the lemmatisers"),
    "name_suffixes": ("table", ("lang", "slot", "forms"), "endings after a name, cut from tokens (tokenize())"),
    "sentiment": ("lexicon", (), "sentiment lexicon: lemma -> score in [-1, 1] (sentiment())"),
    "stopwords": ("wordlist", (), "stopwords of one language (tokenize())"),
    "model": ("file", (), "a trained model's file (weights in JSON/NPZ/CSV)"),
}
REGISTRY = "data/resources.csv"
USER_VERSION = "user"
_LOG_ENV = "TOOLKIT_RESOURCES_LOG"


@dataclass(frozen=True)
class Resource:
    """One loaded resource. Frozen: its data is only handed out as copies.

    Attributes
    ----------
    kind : one of :data:`KINDS` (``"frames"``, ``"naming"``, ``"sentiment"``, ...).
    name : the registry name of a package resource, or the file name of a user's file.
    version : the registry version (bumped whenever the file changes), or ``"user"``.
    path : where it was read from (None for a table or dict passed in memory).
    sha256 : SHA-256 of the file's bytes (of a canonical serialisation for in-memory data);
        caches of compiled matchers are keyed by it.
    language : the language of a per-language resource (sentiment, stopwords), else None.
    fmt : how the data was read (``"table"``, ``"tsv"``, ``"rusentilex"``, ``"vader"``, ``"wordlist"``, ``"file"``).

    Examples
    --------
    >>> frames = load_resource("frames")
    >>> frames.kind, frames.name, len(frames.sha256)
    ('frames', 'frames', 64)
    >>> load_resource("frames", frames) is frames          # a Resource passes through
    True
    """

    kind: str
    name: str
    version: str
    path: str | None
    sha256: str
    language: str | None = None
    fmt: str = "table"
    _data: object = field(default=None, compare=False, repr=False)

    def table(self) -> pd.DataFrame:
        """A copy of a table resource (every column as str; ``#`` header lines dropped)."""
        if not isinstance(self._data, pd.DataFrame):
            raise TypeError(f"the {self.kind} resource {self.name!r} is not a table")
        return self._data.copy()

    def mapping(self) -> MappingProxyType:
        """A read-only ``{lemma: score}`` view of a sentiment lexicon (empty for VADER)."""
        if not isinstance(self._data, MappingProxyType):
            raise TypeError(f"the {self.kind} resource {self.name!r} is not a lexicon")
        return self._data

    def words(self) -> frozenset:
        """The entries of a word list (stopwords)."""
        if not isinstance(self._data, frozenset):
            raise TypeError(f"the {self.kind} resource {self.name!r} is not a word list")
        return self._data

    def to_dict(self) -> dict:
        """The resource's identity (no data): what MANIFEST.json and saved models record."""
        return {"kind": self.kind, "name": self.name, "language": self.language, "version": self.version,
                "path": self.path, "sha256": self.sha256}


# ------------------------------------------------------------------------------ reading
def sha256_bytes(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def _read_table_bytes(data: bytes, sep: str, origin: str) -> pd.DataFrame:
    table = pd.read_csv(io.StringIO(data.decode("utf-8")), sep=sep, comment="#", dtype=str, keep_default_na=False,
                        quoting=3 if sep == "\t" else 0)
    return table


def _sentiment_from_bytes(data: bytes, fmt: str) -> dict:
    from .morphology import normalize_form

    rows: dict[str, float] = {}
    text = data.decode("utf-8")
    if fmt == "tsv":
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            try:
                rows[normalize_form(parts[0].strip().lower())] = float(parts[1])
            except (IndexError, ValueError):
                continue  # the header row, or a malformed line
        peak = max((abs(v) for v in rows.values()), default=1.0)
        if peak > 1:
            rows = {k: v / peak for k, v in rows.items()}
    elif fmt == "rusentilex":
        polarity = {"positive": 1.0, "negative": -1.0}
        for line in text.splitlines():
            if not line.strip() or line.startswith("!") or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) >= 4 and parts[3] in polarity and " " not in parts[2]:
                rows[normalize_form(parts[2].lower())] = polarity[parts[3]]
    else:
        raise ValueError(f"a sentiment lexicon's fmt must be 'tsv', 'rusentilex' or 'vader', not {fmt!r}")
    return rows


def _parse(kind: str, data: bytes, fmt: str, origin: str):
    """The data of a resource of ``kind`` from a file's bytes, validated."""
    layout, required, _ = KINDS[kind]
    if layout == "table":
        sep = "\t" if origin.endswith((".tsv", ".tab")) else ","
        table = _read_table_bytes(data, sep, origin)
        missing = [c for c in required if c not in table]
        if missing:
            raise ValueError(f"{origin}: a {kind} table needs the columns {list(required)}; missing {missing}, "
                             f"found {list(table.columns)} (lines starting with '#' are comments)")
        return table
    if layout == "lexicon":
        return MappingProxyType({} if fmt == "vader" else _sentiment_from_bytes(data, fmt))
    if layout == "wordlist":
        from .morphology import normalize_form

        lines = data.decode("utf-8").splitlines()
        return frozenset(normalize_form(ln.strip().lower()) for ln in lines
                         if ln.strip() and not ln.lstrip().startswith("#"))
    return None  # a model file: its owner reads resource.path


def _resolve_registry_path(relpath: str) -> Path:
    if relpath.startswith("pkg:"):  # a file shipped inside another installed package
        package, _, inner = relpath[4:].partition("/")
        import importlib.util

        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise FileNotFoundError(f"resource {relpath!r}: the package {package!r} is not installed")
        return Path(spec.origin).parent / inner
    return PACKAGE_DIR / relpath


def registry() -> pd.DataFrame:
    """The package's resources: ``kind``, ``language``, ``name``, ``version``, ``path``
    (inside the package, or ``pkg:<package>/<file>``), ``sha256`` and ``provenance``."""
    return read_table(REGISTRY)


def _default_fmt(kind: str, path: str) -> str:
    layout = KINDS[kind][0]
    if layout == "lexicon":
        return "vader" if path.endswith("vader_lexicon.txt") else "tsv"
    return layout


@lru_cache(maxsize=None)
def _package_resource(kind: str, language: str | None, name: str | None) -> Resource:
    table = registry()
    rows = table[table["kind"] == kind]
    if name is not None:
        rows = rows[rows["name"] == name]
    elif language is not None and (rows["language"] != "").any():
        rows = rows[rows["language"] == language]
    if len(rows) != 1:
        options = sorted(set(zip(table.loc[table["kind"] == kind, "name"], table.loc[table["kind"] == kind, "language"])))
        what = f"{kind!r}" + (f" in language {language!r}" if language else "") + (f" named {name!r}" if name else "")
        raise LookupError(f"the package has no single {what} resource; it has {options}")
    row = rows.iloc[0]
    path = _resolve_registry_path(row["path"])
    data = path.read_bytes()
    fmt = _default_fmt(kind, row["path"])
    return Resource(kind=kind, name=row["name"], version=row["version"], path=row["path"], sha256=sha256_bytes(data),
                    language=row["language"] or None, fmt=fmt, _data=_parse(kind, data, fmt, str(path)))


def _in_memory(kind: str, source, language: str | None) -> Resource:
    layout = KINDS[kind][0]
    if layout == "table" and isinstance(source, pd.DataFrame):
        table = source.astype(str).reset_index(drop=True)
        missing = [c for c in KINDS[kind][1] if c not in table]
        if missing:
            raise ValueError(f"a {kind} table needs the columns {list(KINDS[kind][1])}; missing {missing}")
        canonical = table.to_csv(index=False).encode("utf-8")
        return Resource(kind, "in-memory table", USER_VERSION, None, sha256_bytes(canonical), language, "table", table)
    if layout == "lexicon" and isinstance(source, dict):
        from .morphology import normalize_form

        mapping = {normalize_form(str(k).lower()): float(v) for k, v in source.items()}
        canonical = json.dumps(sorted(mapping.items()), ensure_ascii=False).encode("utf-8")
        return Resource(kind, "in-memory lexicon", USER_VERSION, None, sha256_bytes(canonical), language, "dict",
                        MappingProxyType(mapping))
    if layout == "wordlist" and not isinstance(source, (str, bytes, os.PathLike, dict, pd.DataFrame)):
        from .morphology import normalize_form

        words = frozenset(normalize_form(str(w).lower()) for w in source)
        canonical = "\n".join(sorted(words)).encode("utf-8")
        return Resource(kind, "in-memory word list", USER_VERSION, None, sha256_bytes(canonical), language,
                        "wordlist", words)
    raise TypeError(f"a {kind} resource is a file path, a Resource" +
                    {"table": " or a DataFrame", "lexicon": " or a {lemma: score} dict",
                     "wordlist": " or an iterable of words"}.get(layout, "") + f", not {type(source).__name__}")


def load_resource(kind: str, source=None, *, language: str | None = None, name: str | None = None,
                  fmt: str | None = None) -> Resource:
    """Load a resource: the package's default, or a user's file or in-memory data.

    Parameters
    ----------
    kind : one of :data:`KINDS`: ``"frames"``, ``"naming"``, ``"gazetteer"``, ``"source_cues"``,
        ``"speech_verbs"``, ``"citation_cues"``, ``"phrases"``, ``"negators"``, ``"sentiment"``,
        ``"stopwords"``, ``"model"`` ...
    source : None for the package's default; a path to the user's file (same layout as the
        packaged file: ``#`` comment lines, then a header row); a :class:`Resource` (returned
        as is); or in-memory data: a DataFrame for tables, a ``{lemma: score}`` dict for a
        sentiment lexicon, an iterable of words for stopwords.
    language : for per-language kinds (``sentiment``, ``stopwords``): which language's default.
    name : a registry name, to choose among several package resources of one kind (models).
    fmt : sentiment files only: ``"tsv"`` (``lemma<TAB>score``; default) or ``"rusentilex"``.

    Returns
    -------
    :class:`Resource` with ``kind``, ``name``, ``version``, ``path``, ``sha256``.

    Examples
    --------
    >>> r = load_resource("sentiment", language="ru")
    >>> r.name, r.mapping()["катастрофа"]
    ('sentiment_ru', -0.8)
    >>> load_resource("sentiment", {"Мир": 0.5}).mapping()["мир"]
    0.5
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {sorted(KINDS)}, not {kind!r}")
    if isinstance(source, Resource):
        if source.kind != kind:
            raise ValueError(f"expected a {kind} resource, got a {source.kind} resource ({source.name!r})")
        resource = source
    elif source is None:
        resource = _package_resource(kind, language, name)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{kind} file not found: {path} (pass None for the package's default)")
        data = path.read_bytes()
        use_fmt = fmt or _default_fmt(kind, str(path))
        resource = Resource(kind, path.name, USER_VERSION, str(path.resolve()), sha256_bytes(data), language,
                            use_fmt, _parse(kind, data, use_fmt, str(path)))
    else:
        resource = _in_memory(kind, source, language)
    _log(resource)
    return resource


# ------------------------------------------------------------------------------ provenance
_LOGGED: set = set()


def _log(resource: Resource) -> None:
    """Append the resource to ``$TOOLKIT_RESOURCES_LOG`` (set by ``toolkit report``) once per process."""
    log_entries([resource.to_dict()])


def log_entries(entries) -> None:
    """Append MANIFEST entries (dicts with ``kind`` and ``sha256``) to ``$TOOLKIT_RESOURCES_LOG``
    once per process: also the resources behind a table read from the cache (not loaded again)."""
    target = os.environ.get(_LOG_ENV)
    for entry in entries if target else ():
        if (target, entry["sha256"], entry["kind"]) in _LOGGED:
            continue
        _LOGGED.add((target, entry["sha256"], entry["kind"]))
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def resources_manifest(resources) -> list[dict]:
    """MANIFEST.json entries (kind, name, language, version, path, sha256), one per distinct
    resource, sorted. ``resources`` holds :class:`Resource` objects, their dicts, or result
    tables (whose ``attrs["resources"]`` are collected).

    Examples
    --------
    >>> entries = resources_manifest([load_resource("frames"), load_resource("frames")])
    >>> len(entries), sorted(entries[0])
    (1, ['kind', 'language', 'name', 'path', 'sha256', 'version'])
    """
    entries = {}
    for item in resources:
        if isinstance(item, pd.DataFrame):
            found = item.attrs.get("resources", [])
        elif isinstance(item, Resource):
            found = [item.to_dict()]
        else:
            found = [dict(item)]
        for entry in found:
            entries[(entry["kind"], entry["sha256"], entry.get("language"))] = entry
    return sorted(entries.values(), key=lambda e: (e["kind"], str(e.get("language")), e["name"], e["sha256"]))


def start_resources_log(path, *, keep: bool = False) -> Path:
    """Record every resource loaded from now on, in this process and in the notebook kernels it
    starts, into ``path`` (JSON lines; ``toolkit report`` reads it into MANIFEST.json).
    ``keep=False`` starts an empty log."""
    path = Path(path)
    if not keep and path.exists():
        path.unlink()
    os.environ[_LOG_ENV] = str(path)
    _LOGGED.clear()
    return path


def read_resources_log(path) -> list[dict]:
    """The distinct resources recorded in a ``$TOOLKIT_RESOURCES_LOG`` file (empty if none)."""
    path = Path(path)
    if not path.exists():
        return []
    lines = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return resources_manifest(lines)


def with_resources(table: pd.DataFrame, *resources: Resource) -> pd.DataFrame:
    """``table`` with ``attrs["resources"]`` listing the resources that made it (returns ``table``)."""
    table.attrs["resources"] = resources_manifest(list(resources))
    return table


def registry_problems() -> list[str]:
    """Registry rows whose file no longer has the recorded SHA-256 (a lexicon edited without
    a version bump), or whose file is missing. Empty when the registry is in order."""
    problems = []
    for row in registry().itertuples(index=False):
        path = _resolve_registry_path(row.path)
        if not path.is_file():
            problems.append(f"{row.kind}/{row.name}: file {row.path} is missing")
            continue
        digest = sha256_bytes(path.read_bytes())
        if digest != row.sha256 and not row.path.startswith("pkg:"):
            problems.append(f"{row.kind}/{row.name}: {row.path} changed (sha256 {digest}); bump its version in "
                            f"toolkit/data/{Path(REGISTRY).name}, set the new sha256 and note the change in CHANGELOG.md")
    return problems


if __name__ == "__main__":  # pragma: no cover - a maintainer's helper: print current hashes
    for row in registry().itertuples(index=False):
        print(row.kind, row.language, row.name, row.version, sha256_bytes(_resolve_registry_path(row.path).read_bytes()))
