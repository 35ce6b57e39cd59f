"""Tests for toolkit.collect_urls against a local HTTP server started by each test on 127.0.0.1.

The pages served are INVENTED for these tests. No request leaves the machine.
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import toolkit
from toolkit import collect_urls, ingest
from toolkit.collect import page_name


BODIES = [
    "the talks between the delegations continued in the capital on Monday, officials told reporters.",
    "farmers near the new border line say they cannot reach their fields since the spring.",
    "a convoy of trucks with flour and medicine crossed the checkpoint late in the evening.",
    "the parliament debated the budget of the resettlement programme for most of the night.",
    "teachers from the region opened a school for displaced children in a former factory.",
]


def article(title: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{link}
<meta property="article:published_time" content="2023-10-01T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>
<p>{title}: {BODIES[sum(map(ord, title)) % len(BODIES)]}</p>
</article><footer>Invented footer text</footer></body></html>""".encode("utf-8")


class Site:
    """A local web site: pages by path, and a log of every request it received."""

    def __init__(self, robots: str | int = "User-agent: *\nDisallow: /private/\n"):
        self.robots = robots
        self.requests: list[tuple[str, float, str]] = []  # (path, monotonic time, user agent)
        self.lock = threading.Lock()
        self.flaky_left = 1
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):  # noqa: N802
                with site.lock:
                    site.requests.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
                site.respond(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that gave up is fine
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        return Counter(p for p, _, _ in self.requests)[path]

    def respond(self, handler):
        path = handler.path
        if path == "/robots.txt":
            if isinstance(self.robots, int):
                return self._send(handler, self.robots, b"error")
            return self._send(handler, 200, self.robots.encode(), "text/plain")
        if path in ("/a.html", "/b.html", "/c.html", "/private/secret.html", "/new-home.html"):
            canonical = None if path == "/b.html" else f"https://www.example-collect.org{path}"
            return self._send(handler, 200, article(f"Article {path}", canonical))
        if path.startswith("/%D0"):  # a Cyrillic path, percent-encoded by the client
            return self._send(handler, 200, article("Статья о переговорах"))
        if path == "/old":
            return self._send(handler, 301, b"", headers={"Location": "/new-home.html"})
        if path == "/go-private":
            return self._send(handler, 302, b"", headers={"Location": "/private/secret.html"})
        if path == "/slow":
            time.sleep(1.0)
            return self._send(handler, 200, article("Slow"))
        if path == "/flaky":
            with self.lock:
                self.flaky_left -= 1
                fail = self.flaky_left >= 0
            return self._send(handler, 503, b"busy") if fail else self._send(handler, 200, article("Flaky"))
        if path == "/report.pdf":
            return self._send(handler, 200, b"%PDF-1.4 invented", "application/pdf")
        if path == "/feed.xml":
            feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><link>https://feed.example.org/</link>'
                    b"<item><title>One</title><description>Words of an invented news item about the talks."
                    b"</description></item></channel></rss>")
            return self._send(handler, 200, feed, "application/rss+xml")
        return self._send(handler, 404, b"not here")

    @staticmethod
    def _send(handler, status, body, content_type="text/html; charset=utf-8", headers=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def site():
    s = Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


FAST = {"delay": 0, "timeout": 2.0, "retries": 1, "backoff": 0}


def by_path(table, site):
    return {row.url[len(site.base):]: row for row in table.itertuples()}


# ---------------------------------------------------------------- one run

def test_saves_pages_with_sidecars(site, tmp_path):
    urls = [site.url(p) for p in ("/a.html", "/old", "/missing", "/private/secret.html", "/report.pdf",
                                  "/feed.xml")]
    table = collect_urls(urls, tmp_path, **FAST)
    assert list(table.columns[:4]) == ["url", "file", "status", "reason"]
    rows = by_path(table, site)
    assert rows["/a.html"].status == "saved"
    saved = Path(rows["/a.html"].file)
    assert saved.name == page_name(site.url("/a.html")) + ".html"
    assert saved.read_bytes() == article("Article /a.html", "https://www.example-collect.org/a.html")
    # sidecar
    meta = json.loads((tmp_path / f".{saved.stem}.json").read_text(encoding="utf-8"))
    assert meta["url"] == site.url("/a.html") and meta["final_url"] == site.url("/a.html")
    assert meta["http_status"] == 200 and meta["content_type"].startswith("text/html")
    fetched = datetime.fromisoformat(meta["fetched"])
    assert fetched.utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - fetched).total_seconds()) < 60
    # redirect: saved under the requested URL's name, final URL recorded
    assert rows["/old"].status == "saved" and rows["/old"].final_url == site.url("/new-home.html")
    meta = json.loads((tmp_path / f".{page_name(site.url('/old'))}.json").read_text(encoding="utf-8"))
    assert meta["final_url"] == site.url("/new-home.html") and meta["url"] == site.url("/old")
    # 404: a reason, nothing saved
    assert rows["/missing"].status == "failed" and rows["/missing"].http_status == 404
    assert rows["/missing"].reason.startswith("HTTP 404")
    assert not list(tmp_path.glob(page_name(site.url("/missing")) + "*"))
    # robots.txt: not fetched at all
    assert rows["/private/secret.html"].status == "disallowed"
    assert "robots.txt" in rows["/private/secret.html"].reason
    assert site.count("/private/secret.html") == 0
    # not a web page
    assert rows["/report.pdf"].status == "failed" and "application/pdf" in rows["/report.pdf"].reason
    # a feed is saved as .xml
    assert rows["/feed.xml"].status == "saved" and rows["/feed.xml"].file.endswith(".xml")
    # polite: robots.txt read once, the toolkit named in the User-Agent
    assert site.count("/robots.txt") == 1
    agents = {agent for _, _, agent in site.requests}
    assert agents == {toolkit.collect.USER_AGENT}
    assert f"karabakh-media-toolkit/{toolkit.__version__}" in toolkit.collect.USER_AGENT


def test_redirect_to_forbidden_path_not_followed(site, tmp_path):
    table = collect_urls([site.url("/go-private")], tmp_path, **FAST)
    row = table.iloc[0]
    assert row["status"] == "failed" and "robots.txt forbids" in row["reason"]
    assert site.count("/private/secret.html") == 0
    assert not any(p.suffix == ".html" for p in tmp_path.iterdir())


def test_slow_response_retried_then_reported(site, tmp_path):
    start = time.monotonic()
    table = collect_urls([site.url("/slow")], tmp_path, delay=0, timeout=0.2, retries=1, backoff=0.05)
    row = table.iloc[0]
    assert row["status"] == "failed"
    assert "timed out" in row["reason"] and "2 attempts" in row["reason"]
    assert site.count("/slow") == 2
    assert time.monotonic() - start < 1.5


def test_server_error_retried_with_backoff(site, tmp_path):
    start = time.monotonic()
    table = collect_urls([site.url("/flaky")], tmp_path, delay=0, timeout=2, retries=2, backoff=0.2)
    assert table.iloc[0]["status"] == "saved"
    assert site.count("/flaky") == 2
    assert time.monotonic() - start >= 0.2  # waited before the retry


def test_server_error_gives_up_after_retries(site, tmp_path):
    site.flaky_left = 10
    table = collect_urls([site.url("/flaky")], tmp_path, delay=0, timeout=2, retries=2, backoff=0)
    row = table.iloc[0]
    assert row["status"] == "failed" and row["http_status"] == 503
    assert row["reason"] == "HTTP 503 Service Unavailable (3 attempts)"
    assert site.count("/flaky") == 3


def test_delay_between_requests_to_a_host(site, tmp_path):
    collect_urls([site.url(p) for p in ("/a.html", "/b.html", "/c.html")], tmp_path,
                 delay=0.15, timeout=2, retries=0, backoff=0)
    times = [t for _, t, _ in site.requests]
    assert len(times) == 4  # robots.txt and three pages
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.14


def test_robots_txt_unreachable_means_not_fetched(tmp_path):
    s = Site(robots=500)
    s.thread.start()
    try:
        table = collect_urls([s.url("/a.html")], tmp_path, **FAST)
    finally:
        s.server.shutdown()
        s.server.server_close()
    assert table.iloc[0]["status"] == "disallowed"
    assert "robots.txt could not be read" in table.iloc[0]["reason"]
    assert s.count("/a.html") == 0


def test_missing_robots_txt_allows_everything(site, tmp_path):
    site.robots = 404
    table = collect_urls([site.url("/private/secret.html")], tmp_path, **FAST)
    assert table.iloc[0]["status"] == "saved"


def test_bad_addresses_reported(tmp_path):
    table = collect_urls(["ftp://example.org/x", "not a url", "http://[::1"], tmp_path, **FAST)
    assert table["status"].tolist() == ["failed", "failed", "failed"]
    assert table["reason"].tolist()[:2] == ["not an http(s) address"] * 2
    assert table["reason"].iloc[2].startswith("malformed address")


def test_non_ascii_address(site, tmp_path):
    url = site.url("/новости/переговоры")
    table = collect_urls([url], tmp_path, **FAST)
    assert table.iloc[0]["status"] == "saved"
    assert site.count("/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D1%8B") == 1
    assert json.loads((tmp_path / f".{page_name(url)}.json").read_text(encoding="utf-8"))["url"] == url


# ---------------------------------------------------------------- never overwrite, resume

def test_never_overwrites_and_second_run_skips(site, tmp_path):
    urls = [site.url("/a.html"), site.url("/b.html")]
    first = collect_urls(urls, tmp_path, **FAST)
    assert first["status"].tolist() == ["saved", "saved"]
    files = sorted(tmp_path.iterdir())
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    time.sleep(0.02)
    second = collect_urls(urls, tmp_path, **FAST)
    assert second["status"].tolist() == ["skipped", "skipped"]
    assert second["file"].tolist() == first["file"].tolist()
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(tmp_path.iterdir())} == before
    assert site.count("/a.html") == 1 and site.count("/b.html") == 1


def test_existing_file_is_not_overwritten(site, tmp_path):
    mine = tmp_path / (page_name(site.url("/a.html")) + ".html")
    mine.write_text("my own edited copy", encoding="utf-8")
    table = collect_urls([site.url("/a.html")], tmp_path, **FAST)
    assert table.iloc[0]["status"] == "skipped"
    assert mine.read_text(encoding="utf-8") == "my own edited copy"
    assert site.count("/a.html") == 0


def test_resume_after_interruption(site, tmp_path):
    urls = [site.url(p) for p in ("/a.html", "/b.html", "/c.html", "/new-home.html")]
    first = collect_urls(urls, tmp_path, max_pages=2, **FAST)
    assert first["status"].tolist() == ["saved", "saved", "pending", "pending"]
    assert "max_pages=2" in first["reason"].iloc[2]
    second = collect_urls(urls, tmp_path, **FAST)
    assert second["status"].tolist() == ["skipped", "skipped", "saved", "saved"]
    for path in ("/a.html", "/b.html", "/c.html", "/new-home.html"):
        assert site.count(path) == 1, path
    assert len(list(tmp_path.glob("*.html"))) == 4 and len(list(tmp_path.glob(".*.json"))) == 4
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


def test_page_names_stable_and_distinct():
    assert page_name("https://www.example.org/a") == page_name("https://www.example.org/a")
    assert page_name("https://www.example.org/a") != page_name("https://www.example.org/b")
    assert page_name("https://www.Example.org/a").endswith("_example.org")
    assert page_name("http://127.0.0.1:8080/x").endswith("_127.0.0.1_8080")
    assert len(page_name("https://x.example/" + "y" * 500)) < 120


# ---------------------------------------------------------------- collected pages feed ingest

def test_collected_folder_ingests(site, tmp_path):
    urls = [site.url(p) for p in ("/a.html", "/b.html", "/feed.xml")]
    collect_urls(urls, tmp_path, **FAST)
    result = ingest(tmp_path)
    assert len(result.report) == 3  # the sidecars (hidden) are not inputs
    assert set(result.report["status"]) == {"loaded"}
    outlets = dict(zip(result.corpus["title"], result.corpus["outlet"]))
    assert outlets["Article /a.html"] == "example-collect.org"  # canonical link
    assert outlets["Article /b.html"] == "127.0.0.1"  # no canonical: the sidecar's final URL
    assert outlets["One"] == "feed.example.org"
