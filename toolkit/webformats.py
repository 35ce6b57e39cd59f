"""Readers for saved web pages (HTML, MHTML) and news feeds (RSS 2.0, RSS 1.0, Atom).

Importing this module registers two readers in :data:`toolkit.corpus.EXTRA_READERS`, so that
:func:`toolkit.ingest` recognises these files by their content (not only by their name):

- ``feed``: XML whose root element is ``<rss>``, ``<feed>`` (Atom) or ``<rdf:RDF>``; one article
  per entry (title, link, date, content or summary), outlet from the feed's site link. Other XML
  (a sitemap, say) is rejected with a reason instead of being read as an article.
- ``html``: a page that starts with ``<!doctype html``/``<html``, has ``<html``/``<body`` in its
  first 2 KB, is an MHTML archive, or is named ``.html``/``.htm``/``.xhtml``/``.mhtml``/``.mht``;
  main text, title, date, author and canonical URL come from trafilatura (offline).

Safety: feeds are parsed from bytes, never from a path or URL, and their DOCTYPE is removed
before parsing, so no external entity (a local file, a URL) is ever resolved.
"""
from __future__ import annotations

import calendar
import codecs
import email
import email.policy
import html as html_lib
import io
import json
import logging
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

from .dates import parse_date
from .decode import UnreadableFile, decode_bytes
from .corpus import EXTRA_READERS, _Rejected, _timestamp_or_none, normalise_outlet

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
MAX_PAGE_MB = 64
#: fewer words than this in text-like lines (five words or more, not a link) is "no article"
MIN_PROSE_WORDS = 12
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "pre", "table", "tr", "section", "article", "header", "footer", "figure", "figcaption",
               "dd", "dt", "hr"}
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*(?:\[.*?\]\s*)?>)",
                          re.S | re.I)
_ROOT_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_PROLOG_ITEM_BYTES = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|(?P<doctype><!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*"
                                rb"(?:\[.*?\]\s*)?>))", re.S | re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DATE_CLASS = re.compile(r"date|time|publish|byline|posted|meta", re.I)


# ---------------------------------------------------------------- recognising files

def _head_text(data: bytes, size: int = 4096) -> str:
    """The first bytes as text, enough to see tags (UTF-16 aware; other encodings as Latin-1)."""
    head = data[:size]
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(name, "ignore")
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", "ignore")
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", "ignore")
    return head.decode("latin-1")


def xml_root(data: bytes) -> str | None:
    """Name of the root element when the file starts with markup (after prolog), else ``None``.

    Examples
    --------
    >>> xml_root(b'<?xml version="1.0"?><!-- c --><rss version="2.0"><channel/></rss>')
    'rss'
    >>> xml_root("Заголовок\\n\\nтекст".encode()) is None
    True
    """
    text = _head_text(data, 16384).lstrip("\ufeff")
    pos = 0
    while True:  # skip the prolog item by item (anchored: linear time on any input)
        item = _PROLOG_ITEM.match(text, pos)
        if item is None or item.end() == pos:
            break
        pos = item.end()
    match = _ROOT_TAG.match(text, pos)
    return match.group(1).lower() if match else None


def _is_mhtml(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".mhtml", ".mht"):
        return True
    head = data[:2048].lower()
    return head.lstrip().startswith((b"from:", b"mime-version:", b"snapshot-content-location:",
                                     b"subject:", b"date:")) and b"multipart/related" in head


def recognise_feed(path: Path, data: bytes) -> bool:
    """A feed (RSS/Atom root element), or XML that is not a web page (rejected with a reason)."""
    root = xml_root(data)
    if root is None:
        return False
    if root in _FEED_ROOTS:
        return True
    if root in ("html", "head", "body") or path.suffix.lower() in HTML_SUFFIXES:
        return False
    declared_xml = _head_text(data, 64).lstrip().startswith("<?xml")
    return declared_xml or path.suffix.lower() in FEED_SUFFIXES


def recognise_html(path: Path, data: bytes) -> bool:
    """A saved web page: HTML markup at the start or in the first 2 KB, MHTML, or an HTML name."""
    if path.suffix.lower() in HTML_SUFFIXES or _is_mhtml(path, data):
        return True
    head = _head_text(data, 2048).lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head or "<body" in head


# ---------------------------------------------------------------- small helpers

def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content), paragraphs separated by a blank line.

    Examples
    --------
    >>> html_to_text("<p>Первый абзац.</p><p>Второй <b>абзац</b>.<br>Строка</p>")
    'Первый абзац.\\n\\nВторой абзац.\\n\\nСтрока'
    >>> html_to_text("AT&amp;T и &laquo;кавычки&raquo;")
    'AT&T и «кавычки»'
    """
    if not isinstance(fragment, str) or not fragment.strip():
        return ""
    if "<" not in fragment:  # plain text: blank lines separate paragraphs, line breaks are spaces
        return _tidy(html_lib.unescape(fragment).replace("\r", ""))
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(html_lib.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = _PARA + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = _PARA + (el.text or "")
    paragraphs = (" ".join(p.split()) for p in root.text_content().split(_PARA))
    return "\n\n".join(p for p in paragraphs if p)


_PARA = "\u2029"  # paragraph mark while flattening HTML (source line breaks are only spaces)


def _tidy(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n[^\S\n]*\n\s*", text))
    return "\n\n".join(p for p in paragraphs if p)


def _to_timestamp(value):
    """A UTC timestamp from a date string of a page or feed, or ``None``."""
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_date(value) or _timestamp_or_none(value.strip())


def _absolute(url, base=None):
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if re.match(r"^https?://", url, re.I):
        return url
    if base and re.match(r"^https?://", base, re.I):
        return urljoin(base, url)
    return None


# ---------------------------------------------------------------- feeds

def _utf8_xml(data: bytes) -> bytes:
    """UTF-16/32 feeds re-encoded as UTF-8 (so that the DOCTYPE scan below sees them)."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            break
    else:
        if data[:2] == b"<\x00":
            name = "utf-16-le"
        elif data[:2] == b"\x00<":
            name = "utf-16-be"
        else:
            return data
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise _Rejected(f"feed starts like {name} text but is not valid {name}: {exc.reason}") from None
    text = re.sub(r"^(\ufeff?\s*<\?xml[^>]*encoding\s*=\s*[\"'])[\w.:-]+", r"\1utf-8", text.lstrip("\ufeff"))
    return text.encode("utf-8")


def strip_doctype(data: bytes) -> tuple[bytes, list[str]]:
    """Remove the DOCTYPE (with its internal subset) of an XML document.

    Feeds need no DTD. Removing it means no entity it declares, external (``SYSTEM``/``PUBLIC``:
    a file or URL) or internal (entity-expansion bombs), can be expanded. Raises ``_Rejected``
    when an entity declaration survives (a DOCTYPE too odd to remove safely).

    Examples
    --------
    >>> strip_doctype(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    (b'<?xml version="1.0"?><r>&x;</r>', ['DOCTYPE declaring entities (external: SYSTEM/PUBLIC) removed: entities in feeds are never resolved'])
    """
    notes: list[str] = []
    pos = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    while True:  # walk the prolog item by item (anchored: linear time on any input)
        item = _PROLOG_ITEM_BYTES.match(data, pos)
        if item is None or item.end() == pos:
            break
        if item.group("doctype") is None:
            pos = item.end()
            continue
        declared = item.group("doctype")
        if re.search(rb"<!ENTITY", declared, re.I):
            external = re.search(rb"<!ENTITY[^>]*\b(?:SYSTEM|PUBLIC)\b", declared, re.I)
            notes.append("DOCTYPE declaring entities " + ("(external: SYSTEM/PUBLIC) " if external else "")
                         + "removed: entities in feeds are never resolved")
        data = data[:item.start("doctype")] + data[item.end():]
        pos = item.start("doctype")
    root = re.compile(rb"<[A-Za-z_]").search(data, pos)
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data[pos: root.start() if root else len(data)], re.I):
        raise _Rejected("XML declares entities in a way the toolkit does not read safely "
                        "(a DOCTYPE it could not remove); remove the DOCTYPE to load this feed")
    return data, notes


def read_feed(data: bytes, path: Path) -> tuple[list[dict], list[str]]:
    """Read an RSS/Atom feed: one record per entry with text; notes on skipped entries."""
    import feedparser

    root = xml_root(data)
    if root not in _FEED_ROOTS:
        raise _Rejected(f"XML file that is not an RSS or Atom feed (root element <{root}>); "
                        "only feeds and web pages are read")
    data, notes = strip_doctype(_utf8_xml(data))
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        notes.append(f"feed is not well-formed XML ({type(exc).__name__}: {str(exc)[:120]}); read leniently")
    entries = parsed.get("entries") or []
    if not entries:
        raise _Rejected("feed has no entries (no <item> or <entry> could be read)")
    feed_link = _absolute(parsed.feed.get("link"))
    outlet = normalise_outlet(feed_link)
    if outlet is None:
        notes.append("feed has no site link: outlet taken from each entry's link")
    records, no_text, no_date, bad_dates, summaries, failed = [], [], [], [], [], []
    for number, entry in enumerate(entries, 1):
        try:
            record, kind = _entry_record(entry, outlet, feed_link)
        except Exception as exc:  # one odd entry must not cost the others
            failed.append(f"{number} ({type(exc).__name__}: {str(exc)[:80]})")
            continue
        if record is None:
            no_text.append(number)
            continue
        if record["published"] is None:
            raw = _raw_date(entry)
            (bad_dates if raw else no_date).append(f"{number} ({raw!r})" if raw else number)
        if kind == "summary":
            summaries.append(number)
        records.append(record)
    if no_text:
        notes.append(f"{len(no_text)} entr{'y' if len(no_text) == 1 else 'ies'} without text skipped "
                     f"(entries {no_text[:10]})")
    if failed:
        notes.append(f"{len(failed)} unreadable entr{'y' if len(failed) == 1 else 'ies'} skipped: "
                     + ", ".join(failed[:5]))
    if bad_dates:
        notes.append(f"date not understood in entries {', '.join(map(str, bad_dates[:5]))}")
    if no_date:
        notes.append(f"no date in entries {no_date[:10]}")
    if summaries:
        notes.append(f"{len(summaries)} of {len(entries)} entries give only a summary, not the full "
                     "article text")
    if not records:
        raise _Rejected(f"feed has no entry with text ({len(entries)} entries read)")
    return records, notes


def _raw_date(entry):
    return dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created")


def _entry_record(entry, outlet, feed_link) -> tuple[dict | None, str]:
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    body = max((html_to_text(c) for c in contents), key=len, default="")
    kind = "content"
    if not body:
        body = html_to_text(entry.get("summary", "") or entry.get("description", ""))
        kind = "summary"
    if not body:
        return None, kind
    stamp = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict access: no feedparser key aliasing (deprecated)
        if value:
            stamp = _timestamp_or_none(calendar.timegm(value) * 10**9)
            break
    if stamp is None:
        stamp = _to_timestamp(_raw_date(entry))
    link = _absolute(entry.get("link"), feed_link)
    title = html_to_text(entry.get("title", "")) or None
    tags = [t.get("term") for t in entry.get("tags", []) or [] if t.get("term")]
    return {"body": body, "title": title, "outlet": outlet or normalise_outlet(link), "published": stamp,
            "tags": [str(t).strip() for t in tags if str(t).strip()], "url": link,
            "author": entry.get("author") or None}, kind


# ---------------------------------------------------------------- web pages

def _sidecar(path: Path) -> dict:
    """The fetch record :func:`toolkit.collect_urls` writes beside a page (``.<stem>.json``)."""
    side = path.with_name(f".{path.stem}.json")
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _mhtml_page(data: bytes) -> tuple[bytes, str | None, str | None]:
    """The HTML part of an MHTML archive, its charset and the page's address."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    url = message.get("Snapshot-Content-Location")
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset(), url or part.get("Content-Location")
    raise _Rejected("MHTML archive without an HTML part")


def _decode_page(data: bytes, hint: str | None) -> tuple[str, list[str]]:
    """Text of a page: byte-order mark, the charset of the HTTP/MIME header (``hint``), the
    page's own declaration, then the toolkit's guess (the order browsers follow)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4000]:
        try:
            return decode_bytes(data)
        except (UnreadableFile, UnicodeDecodeError) as exc:
            raise _Rejected(str(exc)) from None
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    tried = []
    for name in (hint, declared.group(1).decode("ascii", "ignore") if declared else None):
        if not name or name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name), []
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        text, notes = decode_bytes(data)
    except (UnreadableFile, UnicodeDecodeError):  # decode_bytes may raise the latter on odd bytes
        # mixed encodings: keep what is UTF-8, mark the rest
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text, [f"page mixes encodings: {bad} undecodable byte sequence(s) replaced by \ufffd"]
    if tried:
        notes = [f"declared charset {tried[-1]!r} does not fit the bytes; " + "; ".join(notes or ["decoded as utf-8"])]
    return text, notes


def _link_texts(tree) -> set[str]:
    return {" ".join(a.text_content().split()) for a in tree.iter("a")} - {""}


def _prose_words(body: str, links: set[str]) -> int:
    """Words in lines that read like text: not a link's text and at least five words long."""
    words = 0
    for line in body.split("\n"):
        line = " ".join(line.split())
        n = len(line.split())
        if n >= 5 and line not in links:
            words += n
    return words


def _page_date_fallback(tree):
    """A date in an element whose class or itemprop says date/time/byline (e.g. '26 сентября 2023')."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        marker = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("id"))))
        if not marker or not _DATE_CLASS.search(marker):
            continue
        for candidate in (el.get("datetime"), el.get("content"), el.text_content()):
            if not candidate:
                continue
            for piece in [candidate] + re.split(r"[,|•·—–]\s*", candidate):
                stamp = _to_timestamp(piece)
                if stamp is not None:
                    return stamp
    return None


@contextmanager
def _quiet(*names):
    """Silence libraries' log messages: what matters goes to the ingest report instead."""
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def read_html(data: bytes, path: Path) -> tuple[list[dict], list[str]]:
    """Read one saved web page: main text, title, date, author, canonical URL (trafilatura)."""
    with _quiet("trafilatura", "htmldate", "courlan", "justext"):
        return _read_html(data, path)


def _read_html(data: bytes, path: Path) -> tuple[list[dict], list[str]]:
    import lxml.html
    import trafilatura

    if len(data) > MAX_PAGE_MB * 2**20:
        raise _Rejected(f"page too large ({len(data) / 2**20:.1f} MB > {MAX_PAGE_MB} MB)")
    if not data.strip():
        raise _Rejected("empty file")
    notes: list[str] = []
    sidecar = _sidecar(path)
    charset = None
    page_url = None
    if _is_mhtml(path, data) and not recognise_plain_html(data):
        data, charset, page_url = _mhtml_page(data)
    if charset is None:
        match = re.search(r"charset=([\w.:-]+)", str(sidecar.get("content_type") or ""), re.I)
        charset = match.group(1) if match else None
    text, more = _decode_page(data, charset)
    notes += more
    text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    saved_from = _SAVED_FROM.search(text[:4096])
    fallback_url = (_absolute(page_url) or (saved_from and _absolute(saved_from.group(1)))
                    or _absolute(sidecar.get("final_url")) or _absolute(sidecar.get("url")))
    try:
        tree = lxml.html.fromstring(text)
    except Exception:  # lxml refuses documents it cannot make a tree of
        raise _Rejected("not readable as HTML (no element could be parsed)") from None
    links = _link_texts(tree)
    doc, body, found_any = None, "", False
    # trafilatura's balanced setting first; its recall setting only when that finds no article
    for favour_recall in (False, True):
        doc = trafilatura.bare_extraction(
            text, url=fallback_url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, favor_recall=favour_recall,
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "outputformat": "%Y-%m-%dT%H:%M:%S%z"})
        body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        found_any = found_any or bool(body)
        if body and _prose_words(body, links) >= MIN_PROSE_WORDS:
            if favour_recall:
                notes.append("main text found only with trafilatura's recall setting; check it")
            break
    else:
        if found_any:
            raise _Rejected("no article body: the page holds only menus, links or short lines "
                            "(no paragraph of text found)")
        raise _Rejected("no article body: no text found in the page")
    title = (getattr(doc, "title", None) or "").strip() or None
    if title is None:
        found = tree.find(".//title")
        title = " ".join(found.text_content().split()) if found is not None else None
        title = title or None
    lines = [ln.strip() for ln in body.split("\n") if ln.strip()]
    if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]  # the headline repeated as the first line of the text
    url = _absolute(getattr(doc, "url", None), fallback_url) or fallback_url
    if url is None:
        notes.append("no address in the page (canonical link): outlet unknown")
    published = _to_timestamp(getattr(doc, "date", None)) or _page_date_fallback(tree)
    if published is None:
        notes.append("no date found in the page")
    tags = getattr(doc, "tags", None) or []
    tags = [piece for tag in ([tags] if isinstance(tags, str) else tags)
            for piece in re.split(r"\s*[,;]\s*", str(tag))]
    author = (getattr(doc, "author", None) or "").strip() or None
    record = {"body": "\n\n".join(lines), "title": title, "outlet": normalise_outlet(url),
              "published": published, "tags": [t.strip() for t in tags if t and t.strip()],
              "url": url, "author": author}
    return [record], notes


def recognise_plain_html(data: bytes) -> bool:
    head = _head_text(data, 2048).lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


# feeds first: an XHTML page is not a feed, but a feed saved as .html is still a feed
EXTRA_READERS.setdefault("feed", (recognise_feed, read_feed))
EXTRA_READERS.setdefault("html", (recognise_html, read_html))
