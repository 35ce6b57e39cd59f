"""Collect web pages politely: URLs -> saved HTML files that :func:`toolkit.ingest` reads.

Optional (the rest of the toolkit never touches the network). Standard library only
(``urllib.request``, ``urllib.robotparser``). Rules it keeps:

- robots.txt of every host is read first and obeyed (a ``Crawl-delay`` longer than ``delay`` is
  obeyed too); a redirect to a forbidden address is not followed;
- the User-Agent names the toolkit and its version;
- at least ``delay`` seconds between two requests to the same host;
- server errors (5xx, 429) and time-outs are retried with exponential back-off;
- a saved file is never overwritten, and a second run skips the URLs already saved (resume).

Each page is saved as ``<sha256(url)[:16]>_<host>.html`` (``.xml`` for a feed) in ``out_dir``,
with a sidecar ``.<same name>.json`` (url, final_url after redirects, fetched time in UTC ISO
8601, http_status, content_type). The sidecar's name starts with a dot so that
``toolkit.ingest(out_dir)`` skips it; the page reader uses it to know the page's address when
the page does not say it.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import urllib.robotparser
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urldefrag, urlsplit, urlunsplit

import pandas as pd

from . import __version__

USER_AGENT = f"karabakh-media-toolkit/{__version__} (research; python-urllib)"
#: the token matched against robots.txt ``User-agent`` lines
ROBOTS_AGENT = "karabakh-media-toolkit"
RESULT_COLUMNS = ["url", "file", "status", "reason", "http_status", "final_url"]
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml")


class _Disallowed(Exception):
    """A redirect led to an address robots.txt forbids."""


class _GaveUp(Exception):
    """The request failed for good; the message says why."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


def page_name(url: str) -> str:
    """The file stem for ``url``: 16 hex digits of its SHA-256 and the sanitised host.

    Examples
    --------
    >>> page_name("https://www.Example.com:8080/a?b=1")
    'abd6fe881d441a22_example.com_8080'
    """
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    host = (urlsplit(url).netloc.rsplit("@", 1)[-1] or "nohost").lower()
    host = host[4:] if host.startswith("www.") else host
    host = re.sub(r"[^a-z0-9.-]+", "_", host).strip("._") or "nohost"
    return f"{digest}_{host[:80]}"


def to_ascii_url(url: str) -> str:
    """The address as urllib can send it: IDNA host, percent-encoded non-ASCII path and query.

    Examples
    --------
    >>> to_ascii_url("https://президент.рф/новости?q=Карабах")
    'https://xn--d1abbgf6aiiy.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8?q=%D0%9A%D0%B0%D1%80%D0%B0%D0%B1%D0%B0%D1%85'
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
        netloc = userinfo + at + host.encode("idna").decode("ascii") + colon + port
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="=&%/:?@!$'()*+,;-._~")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _saved(out_dir: Path, stem: str) -> Path | None:
    for suffix in (".html", ".xml"):
        if (out_dir / f"{stem}{suffix}").exists():
            return out_dir / f"{stem}{suffix}"
    return None


class _Collector:
    def __init__(self, delay, timeout, retries, backoff, user_agent, max_bytes):
        self.delay, self.timeout, self.retries, self.backoff = delay, timeout, retries, backoff
        self.user_agent, self.max_bytes = user_agent, max_bytes
        self.last: dict[str, float] = {}
        self.robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        collector = self

        class _RedirectHandler(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, req, fp, code, msg, headers, newurl):
                allowed, why = (True, "") if urlsplit(newurl).path == "/robots.txt" else collector.allowed(newurl)
                if not allowed:
                    raise _Disallowed(f"redirected to {newurl}, which {why}")
                return super().redirect_request(req, fp, code, msg, headers, newurl)

        self.opener = urllib.request.build_opener(_RedirectHandler)

    # -- politeness
    def _wait(self, host: str, extra: float = 0.0) -> None:
        gap = max(self.delay, extra)
        if host in self.last:
            pause = self.last[host] + gap - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def _robots(self, url: str):
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key in self.robots:
            return self.robots[key]
        parser = urllib.robotparser.RobotFileParser(key + "/robots.txt")
        try:
            status, body, _, _ = self._get(key + "/robots.txt", what="robots.txt")
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
        except _GaveUp as exc:
            if exc.status in (401, 403):
                parser.disallow_all = True
            elif exc.status is not None and 400 <= exc.status < 500:
                parser.allow_all = True
            else:  # unreachable or server error: do not crawl a host whose rules are unknown
                self.robots[key] = f"robots.txt could not be read ({exc}); not fetched"
                return self.robots[key]
        self.robots[key] = parser
        return parser

    def allowed(self, url: str) -> tuple[bool, str]:
        parser = self._robots(url)
        if isinstance(parser, str):
            return False, parser
        if not parser.can_fetch(ROBOTS_AGENT, url):
            return False, "robots.txt forbids"
        return True, ""

    def crawl_delay(self, url: str) -> float:
        parser = self._robots(url)
        if isinstance(parser, str):
            return 0.0
        value = parser.crawl_delay(ROBOTS_AGENT)
        return float(value) if value else 0.0

    # -- requests
    def _get(self, url: str, what: str = "page"):
        """GET with retries; return (status, body, final_url, content_type) or raise _GaveUp."""
        host = urlsplit(url).netloc
        extra = self.crawl_delay(url) if what == "page" else 0.0
        attempts = self.retries + 1
        reason, last_status = "no attempt made", None
        for attempt in range(attempts):
            self._wait(host, extra)
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                           "Accept": "text/html,application/xhtml+xml,"
                                                           "application/xml;q=0.9,*/*;q=0.5"})
            retry_after = 0.0
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    body = response.read(self.max_bytes + 1)
                    if len(body) > self.max_bytes:
                        raise _GaveUp(f"larger than max_bytes={self.max_bytes}; not saved", response.status)
                    return (response.status, body, response.geturl(),
                            response.headers.get("Content-Type", ""))
            except _Disallowed as exc:
                raise _GaveUp(str(exc)) from None
            except (ValueError, UnicodeError) as exc:  # http.client.InvalidURL and the like
                raise _GaveUp(f"malformed address: {exc}") from None
            except urllib.error.HTTPError as exc:
                status = exc.code
                reason = f"HTTP {status} {exc.reason}"
                exc.close()
                if status < 500 and status != 429:
                    raise _GaveUp(reason, status) from None
                retry_after = _retry_after(exc.headers)
                last_status = status
            except (TimeoutError, socket.timeout):
                reason, last_status = f"timed out after {self.timeout:g} s", None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, ssl.SSLError):
                    raise _GaveUp(f"secure connection failed: {exc.reason}") from None
                if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                    reason = f"timed out after {self.timeout:g} s"
                elif isinstance(exc.reason, (ConnectionError, OSError)) and not isinstance(
                        exc.reason, socket.gaierror):
                    reason = f"connection failed: {exc.reason}"
                else:
                    raise _GaveUp(f"cannot reach the address: {exc.reason}") from None
                last_status = None
            except (ConnectionError, http.client.HTTPException) as exc:
                reason, last_status = f"connection failed: {type(exc).__name__}: {exc}", None
            finally:
                self.last[host] = time.monotonic()
            if attempt + 1 < attempts:
                time.sleep(max(self.backoff * 2 ** attempt, min(retry_after, 60.0)))
        raise _GaveUp(f"{reason} ({attempts} attempt{'s' * (attempts > 1)})", last_status)


def _retry_after(headers) -> float:
    try:
        return float(headers.get("Retry-After", 0))
    except (TypeError, ValueError):
        return 0.0


def _suffix(content_type: str, body: bytes) -> str | None:
    kind = content_type.split(";")[0].strip().lower()
    if kind in _HTML_TYPES:
        return ".html"
    if kind in _FEED_TYPES or kind.endswith("+xml"):
        return ".xml"
    if not kind:
        head = body[:2048].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            return ".html"
        if head.startswith(b"<?xml"):
            return ".xml"
    return None


def _write_new(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it exists; never leaves a half-written ``path``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    try:
        os.link(tmp, path)  # fails if path exists: no overwrite, even in a race
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        try:
            with open(path, "xb") as fh:
                fh.write(data)
            return True
        except FileExistsError:
            return False
    finally:
        tmp.unlink(missing_ok=True)


def collect_urls(urls, out_dir, *, delay: float = 1.0, timeout: float = 20.0, retries: int = 3,
                 backoff: float = 1.0, max_pages: int | None = None, user_agent: str | None = None,
                 max_bytes: int = 20 * 2**20) -> pd.DataFrame:
    """Download web pages politely into ``out_dir``, for :func:`toolkit.ingest` to read.

    Parameters
    ----------
    urls : str or iterable of str
        The pages' addresses (http or https). Repeats are fetched once; ``#fragments`` ignored.
    out_dir : str or Path
        Folder for the pages (created if needed). Files already there are never overwritten, and
        URLs whose page is already there are skipped: run again after an interruption to resume.
    delay : float
        Seconds between two requests to the same host (a longer robots.txt Crawl-delay wins).
    timeout : float
        Seconds to wait for the server before a try counts as timed out.
    retries, backoff : int, float
        Server errors (5xx, 429), time-outs and dropped connections are retried ``retries``
        times, waiting ``backoff * 2**k`` seconds before retry ``k + 1`` (or Retry-After).
    max_pages : int, optional
        Fetch at most this many pages in this run; the rest are ``pending`` (run again).
    user_agent : str, optional
        Replaces the default User-Agent ``karabakh-media-toolkit/<version> (...)``.
    max_bytes : int
        Larger responses are not saved.

    Returns
    -------
    DataFrame
        One row per distinct URL: ``url``, ``file`` (the saved page, or missing), ``status``
        (``saved``, ``skipped`` already saved, ``disallowed`` by robots.txt, ``failed``,
        ``pending`` beyond ``max_pages``), ``reason``, ``http_status``, ``final_url``.

    Examples
    --------
    >>> table = collect_urls(["https://example.org/news/1"], "pages")   # doctest: +SKIP
    >>> toolkit.ingest("pages").corpus                                  # doctest: +SKIP
    """
    if isinstance(urls, str):
        urls = [urls]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    collector = _Collector(delay, timeout, retries, backoff, user_agent or USER_AGENT, max_bytes)
    rows = []
    fetched = 0
    for given in dict.fromkeys(str(u).strip() for u in urls):
        row = {"url": given, "file": None, "status": "failed", "reason": None, "http_status": None,
               "final_url": None}
        rows.append(row)
        try:
            url = urldefrag(given)[0]
            if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).hostname:
                row["reason"] = "not an http(s) address"
                continue
            request_url = to_ascii_url(url)
        except (ValueError, UnicodeError) as exc:
            row["reason"] = f"malformed address: {exc}"
            continue
        stem = page_name(url)
        existing = _saved(out, stem)
        if existing is not None:
            row.update(file=str(existing), status="skipped", reason="already saved (not fetched again)")
            continue
        if max_pages is not None and fetched >= max_pages:
            row.update(status="pending", reason=f"max_pages={max_pages} reached; run again to continue")
            continue
        try:
            allowed, why = collector.allowed(request_url)
        except _GaveUp as exc:
            allowed, why = False, str(exc)
        if not allowed:
            row.update(status="disallowed", reason=why)
            continue
        fetched += 1
        try:
            status, body, final_url, content_type = collector._get(request_url)
        except _GaveUp as exc:
            row.update(reason=str(exc), http_status=exc.status)
            continue
        row.update(http_status=status, final_url=final_url)
        suffix = _suffix(content_type, body)
        if suffix is None:
            row["reason"] = f"not a web page or feed (Content-Type {content_type or 'missing'}); not saved"
            continue
        page = out / f"{stem}{suffix}"
        sidecar = out / f".{stem}.json"
        meta = {"url": given, "final_url": final_url,
                "fetched": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "http_status": status, "content_type": content_type, "file": page.name,
                "bytes": len(body), "user_agent": collector.user_agent}
        if not _write_new(page, body):
            row.update(file=str(page), status="skipped", reason="file exists; not overwritten")
            continue
        _write_new(sidecar, (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        row.update(file=str(page), status="saved")
    table = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    return table.astype({"url": "string", "file": "string", "status": "string", "reason": "string",
                         "http_status": "Int64", "final_url": "string"})


__all__ = ["collect_urls", "page_name", "to_ascii_url", "USER_AGENT"]
