"""Tests for toolkit.readers (saved web pages and feeds read by toolkit.ingest), tables with
other column names, the ingest progress callback and the ``ingest`` command line.

Every page, feed and table below is INVENTED for these tests (outlets on example domains,
made-up quotes); nothing is copied from a real outlet or from the shared development corpus.
"""
from __future__ import annotations

import json
import tempfile
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import ingest, validate_corpus
from toolkit.cli import main as cli_main
from toolkit.readers import file_kind
from toolkit.snapshot import read_snapshot
from toolkit.readers import html_to_text, recognise_feed, recognise_html, strip_doctype, xml_root

# ---------------------------------------------------------------- invented pages

RU_SENTENCES = [
    "Тысячи жителей Нагорного Карабаха за последние сутки пересекли границу с Арменией и прибыли в город Горис.",
    "По словам местных властей, в пунктах временного размещения уже не хватает мест, и часть людей ночует в машинах.",
    "Международный комитет Красного Креста сообщил, что помогает семьям найти родственников, потерянных при эвакуации.",
]
RU_PAGE = f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Беженцы прибывают в Горис | Пример Новости</title>
<link rel="canonical" href="https://www.example-news.am/ru/article/12345">
<meta property="og:title" content="Беженцы прибывают в Горис">
<meta name="author" content="Анна Петросян">
<meta name="keywords" content="Карабах, беженцы">
<meta property="article:published_time" content="2023-09-26T14:05:00+04:00">
</head>
<body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика НАВИГАЦИЯ</a></li>
<li><a href="/sport">Спорт</a></li></ul></nav></header>
<main>
<article>
<h1>Беженцы прибывают в Горис</h1>
<p class="byline">Анна Петросян</p>
<p>{RU_SENTENCES[0]} На въезде в город волонтёры раздают воду, еду и тёплые вещи.</p>
<p>{RU_SENTENCES[1]} Правительство обещает открыть новые центры в ближайшие дни.</p>
<p>{RU_SENTENCES[2]}</p>
</article>
<aside class="related"><h3>Читайте также</h3><ul>
<li><a href="/a/1">СВЯЗАННАЯ ССЫЛКА: в Ереване прошёл митинг у здания правительства страны</a></li>
<li><a href="/a/2">СВЯЗАННАЯ ССЫЛКА: курс драма снова укрепился по отношению к доллару</a></li></ul></aside>
<section id="comments" class="comments"><h3>Комментарии (2)</h3>
<div class="comment"><p>КОММЕНТАРИЙ ЧИТАТЕЛЯ: ужасно, что происходит с этими людьми, надо помогать.</p></div>
<div class="comment"><p>КОММЕНТАРИЙ ЧИТАТЕЛЯ: правительство опять ничего не делает для своих граждан.</p></div>
</section>
</main>
<footer><p>© 2023 Пример Новости ПОДВАЛ САЙТА. Все права защищены. Перепечатка только с разрешения.</p></footer>
</body></html>
"""

EN_SENTENCES = [
    "Negotiators from Baku and Yerevan met again in Brussels on Tuesday to discuss the delimitation of "
    "their shared border, officials said.",
    "The meeting, hosted by the President of the European Council, lasted more than four hours and ended "
    "without a joint statement.",
    "Diplomats said the sides had narrowed their differences on transport links but remained apart on "
    "the sequence of steps.",
]
EN_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Border talks resume in Brussels - Example Times</title>
<meta property="og:url" content="https://news.example.org/world/2023/11/border-talks">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Border talks resume in Brussels","datePublished":"2023-11-14T09:30:00Z",
"author":{{"@type":"Person","name":"John Example"}}}}</script>
</head><body>
<div class="top-bar"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/login">Sign in NAVSTRING</a></div>
<nav class="main-menu"><a href="/politics">Politics</a><a href="/economy">Economy</a>
<a href="/culture">Culture and society NAVSTRING</a></nav>
<div class="content">
 <h1>Border talks resume in Brussels</h1>
 <div class="article-body">
 <p>{EN_SENTENCES[0]}</p>
 <p>{EN_SENTENCES[1]}</p>
 <p>{EN_SENTENCES[2]}</p>
 </div>
 <div class="share">Share this: <a href="#">Facebook</a> <a href="#">Twitter</a></div>
 <div class="related-articles"><h2>Related</h2>
  <ul><li><a href="/x1">RELATEDLINK Armenia and Azerbaijan trade accusations over shooting at the border</a></li>
      <li><a href="/x2">RELATEDLINK European monitors extend their mission in Armenia for two more years</a></li></ul></div>
 <div id="comments"><h3>12 comments</h3>
  <div class="comment"><p>COMMENTSTRING I do not believe these talks will ever lead to anything meaningful.</p></div>
  <div class="comment"><p>COMMENTSTRING Another reader says that peace is possible if both sides want it.</p></div></div>
</div>
<footer class="site-footer"><p>FOOTERSTRING Example Times is published by Example Media Group, all rights
reserved, 2023.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""

# a page saved by a browser ("saved from url" comment), no meta date: the date is in the byline
BYLINE_PAGE = """<!-- saved from url=(0047)https://www.example-az.az/news/politics/98765 -->
<html><head><title>Переговоры в Брюсселе завершились</title></head><body>
<div class="menu"><a href="/">Главная</a> <a href="/news">Новости</a></div>
<div class="article">
<h1>Переговоры в Брюсселе завершились</h1>
<div class="post-date">Политика | 14 ноября 2023</div>
<p>Переговоры министров иностранных дел двух стран в Брюсселе завершились поздно вечером во вторник.</p>
<p>Стороны договорились продолжить работу комиссий по делимитации границы в декабре этого года.</p>
</div></body></html>
"""

MALFORMED_SENTENCES = [
    "Азербайджан и Армения провели переговоры в Брюсселе при посредничестве Евросоюза.",
    "Следующая встреча запланирована на ноябрь, сообщили в пресс-службе Евросовета.",
    "Эксперты осторожно оценивают перспективы подписания мирного договора до конца года.",
]
# unclosed <p> and <b>, stray end tags, an unterminated attribute, no </body></html>, cut mid-tag
MALFORMED_PAGE = f"""<html><head><title>Сломанная страница</title>
<link rel="canonical" href="https://broken.example.ru/news/7">
<body><div class="article"><p>{MALFORMED_SENTENCES[0]} Стороны обсудили <b>делимитацию границы
<p>{MALFORMED_SENTENCES[1]}</i></span>
<p class="x>{MALFORMED_SENTENCES[2]}
<p>{MALFORMED_SENTENCES[2]}</div></div></td>
<footer>подвал</di"""

NO_BODY_PAGE = """<!DOCTYPE html><html><head><title>Главная | Пример</title>
<link rel="canonical" href="https://example-news.am/"></head>
<body><nav><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li>
<li><a href="/sport">Спорт</a></li><li><a href="/about">О нас</a></li></ul></nav>
<div class="menu"><a href="/a">Новости дня</a> <a href="/b">Видео</a> <a href="/c">Фото</a></div>
<footer><p>© 2023 Пример Новости. Все права защищены.</p></footer></body></html>
"""

SEED_BODY = (
    "Азербайджан начал военное наступление в Карабахе утром во вторник. Местные жители покинули "
    "свои дома, опасаясь за свою жизнь, и направились к армянской границе. Власти региона "
    "обратились за помощью к международным организациям и попросили открыть гуманитарный коридор."
)
SEED_TEXT = "\n".join([
    "Наступление в Карабахе", "", "Наступление в Карабахе", "фото показано с : example.ru", "",
    "2023-10-7 11:22", "", SEED_BODY, "Подробнее читайте на ...", "", "карабах наступление",
])

# ---------------------------------------------------------------- invented feeds

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Пример Ньюс</title>
<link>https://www.primer-news.ru/</link>
<description>Новости</description>
<item>
 <title>Колонна беженцев достигла границы</title>
 <link>https://www.primer-news.ru/news/1</link>
 <pubDate>Tue, 26 Sep 2023 14:05:00 +0300</pubDate>
 <dc:creator>Иван Иванов</dc:creator>
 <category>Карабах</category>
 <description>Краткое описание.</description>
 <content:encoded><![CDATA[<p>Колонна автомобилей с беженцами из Нагорного Карабаха достигла армянской
 границы во вторник утром.</p><p>Пограничники пропускают машины по одной, очередь растянулась на несколько
 километров.</p><script>alert("x")</script>]]></content:encoded>
</item>
<item>
 <title>В Ереване открылся пункт помощи</title>
 <link>https://www.primer-news.ru/news/2</link>
 <pubDate>Wed, 27 Sep 2023 08:00:00 GMT</pubDate>
 <description>&lt;p&gt;Волонтёры открыли в центре Еревана пункт помощи прибывающим семьям из Карабаха.&lt;/p&gt;</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Caucasus Monitor</title>
  <link href="https://caucasus-monitor.example.net/" rel="alternate"/>
  <link href="https://caucasus-monitor.example.net/atom.xml" rel="self"/>
  <updated>2023-10-02T12:00:00Z</updated>
  <id>urn:example:feed</id>
  <entry>
    <title>Humanitarian corridor reopened</title>
    <link href="https://caucasus-monitor.example.net/2023/10/corridor" rel="alternate"/>
    <id>urn:example:1</id>
    <published>2023-10-01T07:30:00+02:00</published>
    <updated>2023-10-01T09:00:00+02:00</updated>
    <author><name>Jane Monitor</name></author>
    <category term="Lachin"/>
    <content type="html">&lt;p&gt;The humanitarian corridor was reopened on Sunday morning after three days of closure, aid groups said.&lt;/p&gt;&lt;p&gt;Trucks carrying flour and medicine crossed the checkpoint in the afternoon.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title type="html">Talks &amp;amp; guarantees</title>
    <link href="/2023/10/talks"/>
    <id>urn:example:2</id>
    <updated>2023-10-02T11:00:00Z</updated>
    <summary>Foreign ministers discussed security guarantees for the people remaining in the region.</summary>
  </entry>
</feed>
"""

BROKEN_ENTRY_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Кривой фид</title><link>https://krivoy.example.org/</link>
<item><title>Хорошая новость о переговорах</title><link>https://krivoy.example.org/1</link>
<pubDate>Mon, 02 Oct 2023 10:00:00 GMT</pubDate>
<description>Министры двух стран договорились встретиться снова через месяц в Брюсселе.</description></item>
<item><title>Пустая новость</title><link>https://krivoy.example.org/2</link></item>
<item><title>Новость с битой датой</title><link>https://krivoy.example.org/3</link>
<pubDate>вчера вечером</pubDate>
<description>Стороны договорились продолжить переговоры о мирном договоре в ноябре & обсудить <b>границу.</description></item>
</channel></rss>
"""

SECRET = "TOP-SECRET-TOKEN-4242"


def xxe_feed(secret_path: Path) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
  <!ENTITY xxe SYSTEM "file://{secret_path}">
  <!ENTITY % remote SYSTEM "file://{secret_path}">
]>
<rss version="2.0"><channel><title>Evil &xxe;</title><link>https://evil.example.com/</link>
<item><title>Article &xxe;</title><link>https://evil.example.com/a</link>
<pubDate>Tue, 26 Sep 2023 14:05:00 GMT</pubDate>
<description>Normal looking text about the talks between the two countries in Brussels &xxe; and more.</description></item>
</channel></rss>
"""


TABLE = pd.DataFrame({
    "headline": ["Заголовок из таблицы один", "Заголовок из таблицы два", "Пустая строка"],
    "pub_date": ["2023-10-07T11:22:00+03:00", "08.10.2023", "2023-10-09"],
    "body_text": [
        "Правительство Армении заявило о готовности принять всех беженцев из Карабаха и выделить им жильё.",
        "Власти Азербайджана объявили о начале регистрации жителей региона, желающих остаться в своих домах.",
        "",
    ],
    "site": ["example-table.am", "example-table.az", "example-table.am"],
    "link": ["https://example-table.am/1", "https://www.example-table.az/2", "https://example-table.am/3"],
})
MAPPING = {"headline": "title", "pub_date": "published", "body_text": "text", "site": "outlet", "link": "url"}


def write(path: Path, text, encoding="utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def one(path: Path, **kw):
    result = ingest(path, **kw)
    assert len(result.report) == 1
    return result.report.iloc[0].to_dict(), result.corpus


def assert_every_file_reported(result, files) -> None:
    assert sorted(result.report["file"]) == sorted(str(f) for f in files)
    reasons = result.report["reason"].fillna("")
    assert not reasons.str.startswith("unexpected error").any(), reasons.tolist()
    corpus_files = set(result.corpus["source_file"])
    for row in result.report.itertuples():
        if row.status == "rejected":
            assert row.reason and row.file not in corpus_files
        else:
            assert row.n_articles >= 1 and row.file in corpus_files


# ---------------------------------------------------------------- recognising files by content

def test_no_import_cycle_between_corpus_and_readers():
    # issue 10: readers live in one module that does not import the ingest stage
    import ast
    import inspect

    import toolkit.readers

    tree = ast.parse(inspect.getsource(toolkit.readers))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "corpus" not in imported and "webformats" not in imported


@pytest.mark.parametrize("data, name, kind", [
    (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "x.txt", "feed"),
    (b"<!doctype html><html><body><p>x</p></body></html>", "x.txt", "html"),
    ("Заголовок\n\nтекст".encode(), "x.txt", "seed"),
    (b'{"text": "x"}', "x.txt", "jsonl"),
    (b"PAR1....", "x.txt", "parquet"),
])
def test_file_kind_by_content(data, name, kind):
    assert file_kind(Path(name), data) == kind


@pytest.mark.parametrize("data, name, expected", [
    (RU_PAGE, "page.html", "html"),
    (RU_PAGE, "page_without_suffix", "html"),
    ("\ufeff  \n<!DOCTYPE html><html><body><p>x</p></body></html>", "a.txt", "html"),
    ("<div>no html tag</div><body><p>x</p></body>", "page.dat", "html"),
    ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "x.xml", "html"),
    (RSS, "feed.xml", "feed"),
    (RSS, "feed.txt", "feed"),
    (RSS, "feed.html", "feed"),
    (ATOM, "atom", "feed"),
    ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "r.rdf", "feed"),
    ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "sitemap.xml", "feed"),
    (SEED_TEXT, "article.txt", None),
    ("Заголовок\n\nТекст, где упомянут тег <b> и слово html.", "a.txt", None),
])
def test_recognised_by_content(data, name, expected):
    raw = data.encode("utf-8")
    found = None
    if recognise_feed(Path(name), raw):
        found = "feed"
    elif recognise_html(Path(name), raw):
        found = "html"
    assert found == expected


def test_xml_root():
    assert xml_root(RSS.encode()) == "rss"
    assert xml_root(ATOM.encode()) == "feed"
    assert xml_root(RSS.encode("utf-16")) == "rss"
    assert xml_root(SEED_TEXT.encode()) is None


# ---------------------------------------------------------------- saved web pages

@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    files = {name: write(folder / f"{name}.html", text) for name, text in
             [("ru", RU_PAGE), ("en", EN_PAGE), ("byline", BYLINE_PAGE), ("malformed", MALFORMED_PAGE),
              ("nobody", NO_BODY_PAGE)]}
    result = ingest(folder)
    by_file = {name: result.corpus[result.corpus["source_file"] == str(path)] for name, path in files.items()}
    report = {name: result.report[result.report["file"] == str(path)].iloc[0] for name, path in files.items()}
    return result, by_file, report, files


def test_pages_every_file_reported(pages):
    result, _, _, files = pages
    assert_every_file_reported(result, files.values())
    validate_corpus(result.corpus)


def test_page_main_text_without_boilerplate(pages):
    _, by_file, _, _ = pages
    text = by_file["ru"]["text"].iloc[0]
    for sentence in RU_SENTENCES:
        assert sentence in text
    for junk in ("НАВИГАЦИЯ", "СВЯЗАННАЯ ССЫЛКА", "КОММЕНТАРИЙ ЧИТАТЕЛЯ", "ПОДВАЛ САЙТА", "Главная"):
        assert junk not in text
    assert "\n\n" in text  # paragraphs kept


def test_page_metadata(pages):
    _, by_file, _, _ = pages
    row = by_file["ru"].iloc[0]
    assert row["title"] == "Беженцы прибывают в Горис"
    assert not row["text"].startswith(row["title"])  # the headline is not repeated in the text
    assert row["url"] == "https://www.example-news.am/ru/article/12345"
    assert row["outlet"] == "example-news.am"
    assert row["published"] == pd.Timestamp("2023-09-26 10:05", tz="UTC")  # +04:00 -> UTC
    assert row["author"] == "Анна Петросян"
    assert row["language"] == "ru"
    assert set(row["tags"]) == {"Карабах", "беженцы"}


def test_english_page_json_ld_and_og_url(pages):
    _, by_file, _, _ = pages
    row = by_file["en"].iloc[0]
    for sentence in EN_SENTENCES:
        assert sentence in row["text"]
    for junk in ("NAVSTRING", "RELATEDLINK", "COMMENTSTRING", "FOOTERSTRING", "Share this"):
        assert junk not in row["text"]
    assert row["outlet"] == "news.example.org"
    assert row["published"] == pd.Timestamp("2023-11-14 09:30", tz="UTC")
    assert row["author"] == "John Example"
    assert row["title"] == "Border talks resume in Brussels"
    assert row["language"] == "en"


def test_saved_from_comment_and_byline_date(pages):
    _, by_file, report, _ = pages
    row = by_file["byline"].iloc[0]
    assert row["outlet"] == "example-az.az"
    assert row["url"] == "https://www.example-az.az/news/politics/98765"
    assert row["published"] == pd.Timestamp("2023-11-14", tz="UTC")
    assert "Стороны договорились продолжить работу комиссий" in row["text"]


def test_malformed_page_loads(pages):
    _, by_file, report, _ = pages
    assert report["malformed"]["status"] == "loaded"
    text = by_file["malformed"]["text"].iloc[0]
    assert MALFORMED_SENTENCES[0] in text and MALFORMED_SENTENCES[1] in text
    assert by_file["malformed"]["outlet"].iloc[0] == "broken.example.ru"
    assert "no date found in the page" in report["malformed"]["warnings"]


def test_page_without_article_body_rejected(pages):
    _, by_file, report, _ = pages
    assert report["nobody"]["status"] == "rejected"
    assert report["nobody"]["reason"].startswith("no article body")
    assert by_file["nobody"].empty


@pytest.mark.parametrize("text, reason", [
    ("<html><body></body></html>", "no article body"),
    ("<html><head><title>Только заголовок</title></head><body><p>Коротко.</p></body></html>", "no article body"),
    ("", "empty file"),
])
def test_empty_pages_rejected(tmp_path, text, reason):
    entry, corpus = one(write(tmp_path / "p.html", text))
    assert entry["status"] == "rejected" and entry["reason"].startswith(reason)
    assert corpus.empty


def test_cp1251_page_with_declared_charset(tmp_path):
    page = RU_PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    entry, corpus = one(write(tmp_path / "cp.htm", page, encoding="cp1251"))
    assert entry["status"] == "loaded"
    assert RU_SENTENCES[0] in corpus["text"].iloc[0]


def test_page_with_wrong_declared_charset(tmp_path):
    data = RU_PAGE.encode("cp1251")  # declares UTF-8, is cp1251
    entry, corpus = one(write(tmp_path / "wrong.html", data))
    assert entry["status"] == "loaded"
    assert "declared charset 'utf-8' does not fit" in entry["warnings"]
    assert RU_SENTENCES[0] in corpus["text"].iloc[0]


def test_mhtml_archive(tmp_path):
    archive = MIMEMultipart("related")
    archive["Snapshot-Content-Location"] = "https://www.example-mht.ge/article/5"
    archive["Subject"] = "Border talks"
    archive.attach(MIMEText(EN_PAGE.replace('<meta property="og:url" content="https://news.example.org/world/2023/11/border-talks">', ""),
                            "html", "utf-8"))
    entry, corpus = one(write(tmp_path / "saved.mhtml", archive.as_bytes()))
    assert entry["status"] == "loaded", entry
    assert corpus["outlet"].iloc[0] == "example-mht.ge"
    assert EN_SENTENCES[1] in corpus["text"].iloc[0]


def test_collect_sidecar_gives_the_address(tmp_path):
    page = EN_PAGE.replace('<meta property="og:url" content="https://news.example.org/world/2023/11/border-talks">', "")
    path = write(tmp_path / "0123456789abcdef_example-side.org.html", page)
    write(tmp_path / ".0123456789abcdef_example-side.org.json",
          json.dumps({"url": "https://example-side.org/a", "final_url": "https://www.example-side.org/b",
                      "http_status": 200, "content_type": "text/html; charset=utf-8"}))
    result = ingest(tmp_path)
    assert result.report["file"].tolist() == [str(path)]  # the hidden sidecar is not an input
    assert result.corpus["outlet"].iloc[0] == "example-side.org"
    assert result.corpus["url"].iloc[0] == "https://www.example-side.org/b"


def test_html_external_entity_not_resolved(tmp_path):
    secret = write(tmp_path / "secret.txt", SECRET)
    page = EN_PAGE.replace("<!doctype html>", f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>')
    page = page.replace(EN_SENTENCES[2], EN_SENTENCES[2] + " &xxe;")
    result = ingest(write(tmp_path / "pages" / "x.html", page))
    assert SECRET not in result.corpus.to_json(force_ascii=False, date_format="iso")


# ---------------------------------------------------------------- feeds

def test_rss_feed_one_article_per_entry(tmp_path):
    entry, corpus = one(write(tmp_path / "feed.rss", RSS))
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    first, second = corpus.sort_values("published").itertuples()
    assert first.title == "Колонна беженцев достигла границы"
    assert first.url == "https://www.primer-news.ru/news/1"
    assert first.outlet == "primer-news.ru"
    assert first.published == pd.Timestamp("2023-09-26 11:05", tz="UTC")
    assert first.author == "Иван Иванов" and first.tags == ["Карабах"]
    assert "очередь растянулась на несколько километров" in first.text  # full content, not the summary
    assert "Краткое описание" not in first.text and "alert" not in first.text
    assert second.text == "Волонтёры открыли в центре Еревана пункт помощи прибывающим семьям из Карабаха."
    assert second.published == pd.Timestamp("2023-09-27 08:00", tz="UTC")
    assert "1 of 2 entries give only a summary" in entry["warnings"]


def test_atom_feed(tmp_path):
    entry, corpus = one(write(tmp_path / "atom.xml", ATOM))
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    corpus = corpus.set_index("title")
    first = corpus.loc["Humanitarian corridor reopened"]
    assert first["outlet"] == "caucasus-monitor.example.net"
    assert first["url"] == "https://caucasus-monitor.example.net/2023/10/corridor"
    assert first["published"] == pd.Timestamp("2023-10-01 05:30", tz="UTC")
    assert first["author"] == "Jane Monitor"
    assert "Trucks carrying flour and medicine" in first["text"]
    second = corpus.loc["Talks & guarantees"]
    assert second["url"] == "https://caucasus-monitor.example.net/2023/10/talks"  # relative link resolved
    assert second["published"] == pd.Timestamp("2023-10-02 11:00", tz="UTC")  # only <updated>


def test_feed_with_broken_entry(tmp_path):
    entry, corpus = one(write(tmp_path / "broken.xml", BROKEN_ENTRY_RSS))
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    assert set(corpus["title"]) == {"Хорошая новость о переговорах", "Новость с битой датой"}
    assert "1 entry without text skipped (entries [2])" in entry["warnings"]
    assert "date not understood in entries 3" in entry["warnings"]
    assert "not well-formed XML" in entry["warnings"]
    undated = corpus[corpus["title"] == "Новость с битой датой"].iloc[0]
    assert pd.isna(undated["published"]) and "мирном договоре в ноябре" in undated["text"]


def test_feed_external_entity_never_resolved(tmp_path):
    secret = write(tmp_path / "secret.txt", SECRET)
    feed = write(tmp_path / "in" / "evil.xml", xxe_feed(secret))
    entry, corpus = one(feed)
    assert SECRET not in corpus.to_json(force_ascii=False, date_format="iso")
    assert SECRET not in json.dumps(entry, default=str)
    assert entry["status"] == "loaded"  # the entry is kept, the entity is not expanded
    assert "DOCTYPE declaring entities (external: SYSTEM/PUBLIC) removed" in entry["warnings"]
    assert "talks between the two countries" in corpus["text"].iloc[0]


def test_entity_expansion_bomb_is_defused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><link>https://bomb.example.com/</link>'
            '<item><title>Bomb</title><description>Some words about the talks in Brussels today &c; and more words.'
            '</description></item></channel></rss>')
    entry, corpus = one(write(tmp_path / "bomb.xml", bomb))
    assert "aaaaaaaaaa" not in corpus.to_json(date_format="iso")


def test_strip_doctype_rejects_what_it_cannot_remove():
    data, notes = strip_doctype(b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://x.example/rss.dtd"><rss/>')
    assert data == b'<?xml version="1.0"?><rss/>' and notes == []
    from toolkit.readers import RejectedFile
    with pytest.raises(RejectedFile):
        strip_doctype(b'<?xml version="1.0"?><!DOCTYPE rss [ <!ENTITY x "]>"> <!ENTITY y SYSTEM "file:///etc/passwd">]><rss/>')


@pytest.mark.parametrize("text, reason", [
    ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/</loc></url></urlset>',
     "XML file that is not an RSS or Atom feed (root element <urlset>)"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>', "feed has no entries"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title></item></channel></rss>',
     "feed has no entry with text"),
])
def test_unusable_xml_rejected_with_reason(tmp_path, text, reason):
    entry, _ = one(write(tmp_path / "f.xml", text))
    assert entry["status"] == "rejected" and entry["reason"].startswith(reason)


def test_utf16_feed(tmp_path):
    data = RSS.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    entry, corpus = one(write(tmp_path / "u16.xml", data))
    assert entry["status"] == "loaded" and entry["n_articles"] == 2


def test_html_to_text():
    assert html_to_text("<p>Один.</p><ul><li>Два</li><li>Три</li></ul>") == "Один.\n\nДва\n\nТри"
    assert html_to_text("") == ""
    assert html_to_text("<p>broken <b>tag") == "broken tag"


# ---------------------------------------------------------------- tables with other column names

def test_csv_with_column_mapping(tmp_path):
    path = tmp_path / "export.csv"
    TABLE.to_csv(path, index=False)
    entry, corpus = one(path, columns=MAPPING)
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    assert "1 row(s) without text skipped" in entry["warnings"]
    corpus = corpus.set_index("title")
    assert corpus.loc["Заголовок из таблицы один", "published"] == pd.Timestamp("2023-10-07 08:22", tz="UTC")
    assert corpus.loc["Заголовок из таблицы два", "published"] == pd.Timestamp("2023-10-08", tz="UTC")
    assert corpus.loc["Заголовок из таблицы два", "outlet"] == "example-table.az"
    assert corpus.loc["Заголовок из таблицы два", "url"] == "https://www.example-table.az/2"


@pytest.mark.parametrize("kind", ["tsv", "jsonl", "parquet"])
def test_other_tables_with_column_mapping(tmp_path, kind):
    path = tmp_path / f"export.{kind}"
    if kind == "tsv":
        TABLE.to_csv(path, sep="\t", index=False)
    elif kind == "jsonl":
        TABLE.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        TABLE.to_parquet(path, index=False)
    entry, corpus = one(path, columns=MAPPING)
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    assert set(corpus["outlet"]) == {"example-table.am", "example-table.az"}


def test_missing_text_column_lists_columns_and_suggests_mapping(tmp_path):
    path = tmp_path / "export.csv"
    TABLE.rename(columns={"body_text": "wording"}).to_csv(path, index=False)
    entry, _ = one(path)
    assert entry["status"] == "rejected"
    assert "columns found: ['headline', 'pub_date', 'wording', 'site', 'link']" in entry["reason"]
    assert "columns={'your_column': 'text'" in entry["reason"]


def test_common_column_names_need_no_mapping(tmp_path):
    # issue 10: a CSV with headline,body,date loaded the body as title and no date
    path = tmp_path / "export.csv"
    TABLE.rename(columns={"body_text": "body", "pub_date": "date"}).to_csv(path, index=False)
    entry, corpus = one(path)
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    first = corpus.set_index("title").loc["Заголовок из таблицы один"]
    assert first["text"] == TABLE["body_text"][0]
    assert first["published"] == pd.Timestamp("2023-10-07 08:22", tz="UTC")
    assert first["url"] == "https://example-table.am/1"
    assert "columns read as headline\u2192title, date\u2192published, body\u2192text, link\u2192url" not in entry["warnings"]
    assert "body\u2192text, headline\u2192title, date\u2192published, link\u2192url, site\u2192outlet (recognised names)" in entry["warnings"]
    assert "headline" not in corpus and "body" not in corpus  # renamed, not kept twice


@pytest.mark.parametrize("columns, words", [
    ({"headline": "titel"}, "'titel' is not a corpus column"),
    ({"headline": "title", "body_text": "title"}, "several columns to 'title'"),
])
def test_columns_with_bad_target_raise(tmp_path, columns, words):
    path = tmp_path / "export.csv"
    TABLE.to_csv(path, index=False)
    with pytest.raises(ValueError, match=words):
        ingest(path, columns=columns)


def test_columns_naming_a_missing_column_raise(tmp_path):
    path = tmp_path / "export.csv"
    TABLE.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"no column 'lnk' \(columns found: \['headline'"):
        ingest(path, columns={"lnk": "url", "body_text": "text"})
    # not needed where a table already has the corpus column (a folder of mixed tables): no error
    TABLE.rename(columns={"link": "url"}).to_csv(path, index=False)
    assert len(ingest(path, columns={"lnk": "url"}).corpus) == 2


@pytest.mark.parametrize("sep", [";", "|", "\t"])
def test_csv_with_other_delimiter(tmp_path, sep):
    path = tmp_path / "semi.csv"
    TABLE.to_csv(path, sep=sep, index=False)
    entry, corpus = one(path, columns=MAPPING)
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    assert TABLE["body_text"][0] in set(corpus["text"])


def test_tsv_that_uses_commas(tmp_path):
    path = tmp_path / "commas.tsv"
    TABLE.to_csv(path, index=False)
    entry, corpus = one(path, columns=MAPPING)
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    assert "delimiter ',' found in a .tsv file" in entry["warnings"]


def test_csv_with_unusable_delimiter_says_so(tmp_path):
    path = write(tmp_path / "odd.csv", "headline#pub_date#body_text\nЗаголовок#2023-10-07#Текст статьи\n")
    entry, _ = one(path, columns=MAPPING)
    assert entry["status"] == "rejected"
    assert "columns found: ['headline#pub_date#body_text']" in entry["reason"]
    assert "delimiter" in entry["reason"]


def test_csv_with_mixed_encodings(tmp_path):
    lines = TABLE.to_csv(index=False).splitlines(keepends=True)
    data = "".join(lines[:2]).encode("utf-8") + "".join(lines[2:]).encode("cp1251")
    entry, corpus = one(write(tmp_path / "mixed.csv", data), columns=MAPPING)
    assert entry["status"] == "loaded" and entry["n_articles"] == 2
    assert "mixed encodings: 2 of 4 lines are not UTF-8 (decoded as cp1251)" in entry["warnings"]
    assert set(corpus["text"]) == set(TABLE["body_text"][:2])


# ---------------------------------------------------------------- everything in one folder

@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    files = [
        write(folder / "seed_article.txt", SEED_TEXT),
        write(folder / "pages" / "ru.html", RU_PAGE),
        write(folder / "pages" / "en.htm", EN_PAGE),
        write(folder / "pages" / "nobody.html", NO_BODY_PAGE),
        write(folder / "feeds" / "primer.xml", RSS),
        write(folder / "feeds" / "monitor.atom", ATOM),
        write(folder / "feeds" / "broken.rss", BROKEN_ENTRY_RSS),
    ]
    TABLE.to_csv(folder / "export.csv", index=False)
    files.append(folder / "export.csv")
    return folder, files


def test_mixed_folder_one_corpus(mixed_folder):
    folder, files = mixed_folder
    calls = []
    result = ingest(folder, columns=MAPPING, progress=lambda done, total: calls.append((done, total)))
    assert_every_file_reported(result, files)
    validate_corpus(result.corpus)
    status = dict(zip(result.report["file"], result.report["status"]))
    assert status[str(folder / "pages" / "nobody.html")] == "rejected"
    assert sum(s == "loaded" for s in status.values()) == len(files) - 1
    corpus = result.corpus.set_index("title")
    expected = {
        "Наступление в Карабахе": ("example.ru", "2023-10-07 11:22"),
        "Беженцы прибывают в Горис": ("example-news.am", "2023-09-26 10:05"),
        "Border talks resume in Brussels": ("news.example.org", "2023-11-14 09:30"),
        "Колонна беженцев достигла границы": ("primer-news.ru", "2023-09-26 11:05"),
        "Humanitarian corridor reopened": ("caucasus-monitor.example.net", "2023-10-01 05:30"),
        "Хорошая новость о переговорах": ("krivoy.example.org", "2023-10-02 10:00"),
        "Заголовок из таблицы один": ("example-table.am", "2023-10-07 08:22"),
    }
    for title, (outlet, published) in expected.items():
        assert corpus.loc[title, "outlet"] == outlet, title
        assert corpus.loc[title, "published"] == pd.Timestamp(published, tz="UTC"), title
    assert len(result.corpus) == 1 + 2 + 2 + 2 + 2 + 2
    assert result.report["n_articles"].sum() == len(result.corpus)
    # progress: once per file, ending at (total, total)
    assert calls[-1] == (len(files), len(files))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_cli_ingest_progress_and_report(mixed_folder, tmp_path, capsys):
    folder, files = mixed_folder
    out = tmp_path / "snap" / "corpus.parquet"
    args = ["ingest", str(folder), "--out", str(out), "--progress"]
    for theirs, ours in MAPPING.items():
        args += ["--column", f"{theirs}={ours}"]
    assert cli_main(args) == 0
    captured = capsys.readouterr()
    assert f"[toolkit] ingest [{'#' * 30}] {len(files)}/{len(files)} files" in captured.err
    assert "7 files loaded, 0 duplicate, 1 rejected (no article body: 1)" in captured.out
    report = pd.read_csv(out.with_name("corpus.report.csv"))
    assert sorted(report["file"]) == sorted(str(f) for f in files)
    assert len(read_snapshot(out)) == 11


def test_cli_no_bar_for_short_runs(tmp_path, capsys):
    src = write(tmp_path / "a.txt", SEED_TEXT)
    assert cli_main(["ingest", str(src), "--out", str(tmp_path / "c.parquet")]) == 0
    assert "[toolkit] ingest [" not in capsys.readouterr().err


def test_cli_bad_column_argument(tmp_path):
    with pytest.raises(SystemExit):
        cli_main(["ingest", str(tmp_path), "--out", str(tmp_path / "c.parquet"), "--column", "headline"])


@pytest.mark.parametrize("case", ["no_text_column", "missing_file", "empty_folder"])
def test_cli_exits_non_zero_when_nothing_loaded(tmp_path, capsys, case):
    # issue 10: `ingest` exited 0 after loading nothing; now 1, with every reason in full
    out = tmp_path / "out" / "c.parquet"
    if case == "no_text_column":
        src = tmp_path / "export.csv"
        TABLE.rename(columns={"body_text": "wording"}).to_csv(src, index=False)
        words = "csv table has no 'text' column (columns found: ['headline', 'pub_date', 'wording', 'site', 'link'])"
    elif case == "missing_file":
        src = tmp_path / "nowhere.txt"
        words = f"{src}: rejected: cannot read the file: No such file or directory"
    else:
        src = tmp_path / "empty"
        src.mkdir()
        words = f"No file found in {src}"
    assert cli_main(["ingest", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no article was loaded, nothing written" in err and words in err
    assert not out.exists()


@pytest.mark.parametrize("column, words", [
    ("lnk=url", "no column 'lnk'"),
    ("headline=titel", "'titel' is not a corpus column"),
])
def test_cli_wrong_column_mapping_exits_2(tmp_path, capsys, column, words):
    src = tmp_path / "export.csv"
    TABLE.to_csv(src, index=False)
    assert cli_main(["ingest", str(src), "--out", str(tmp_path / "c.parquet"), "--column", column]) == 2
    assert words in capsys.readouterr().err


def test_progress_bar_draws_on_long_runs():
    import io

    from toolkit.cli import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream=stream)
    for done in range(0, 41):
        bar(done, 40)
    assert stream.getvalue().endswith("40/40 files\n")
    assert stream.getvalue().count("\r") <= 32  # redrawn only when the bar moves


# ---------------------------------------------------------------- property: odd bytes never crash a reader
# (every file starts with markup, so that it reaches the page and feed readers, not the seed reader)

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["<rss version='2.0'><channel><item><description>",
                                            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content>',
                                            "<!DOCTYPE html><html><body><p>", "<?xml version='1.0'?><x>"]),
                          st.text(max_size=400), st.binary(max_size=200),
                          st.sampled_from([".html", ".xml", ".txt", ".mhtml", ""])),
                min_size=1, max_size=3))
def test_property_odd_pages_and_feeds(items):
    with tempfile.TemporaryDirectory() as folder:
        files = [write(Path(folder) / f"{i:02d}{suffix}", prefix.encode() + text.encode("utf-8", "replace") + blob)
                 for i, (prefix, text, blob, suffix) in enumerate(items)]
        result = ingest(folder)
        assert_every_file_reported(result, files)


def test_public_api_exports_collect_urls():
    assert callable(toolkit.collect_urls) and "collect_urls" in toolkit.__all__


def test_unreadable_and_future_dates_are_reported_not_lost(tmp_path):
    """A table row whose date cannot be read (or is out of range) is kept without a date and
    named in the ingest report with what it said; a date after today is dropped and reported
    (2026-12-08: kept, one such date had stretched every timeline to it); an empty date is no
    problem. One year 1500 no longer stops the whole ingest."""
    path = tmp_path / "dates.jsonl"
    rows = [{"text": f"Текст номер {k} о переговорах между Баку и Ереваном.", "published": value}
            for k, value in enumerate(["1500-01-01", "yesterday", "2031-05-05", "2023-10-07", ""])]
    pd.DataFrame(rows).to_json(path, orient="records", lines=True, force_ascii=False)
    entry, corpus = one(path)
    assert entry["status"] == "loaded" and entry["n_articles"] == 5
    assert corpus["published"].isna().tolist() == [True, True, True, False, True]
    assert "2 row(s) kept without a date" in entry["warnings"]
    assert "rows 1 ('1500-01-01'), 2 ('yesterday')" in entry["warnings"]
    assert ("1 row(s) dated after today: the date was dropped, kept without a date (rows 3 (2031-05-05))"
            in entry["warnings"])


def test_gdelt_seendate_is_read_as_the_date(tmp_path):
    path = tmp_path / "gdelt.csv"
    pd.DataFrame({"url": ["https://news.example.az/1"], "title": ["Заголовок"], "seendate": ["20230919T101500Z"],
                  "domain": ["news.example.az"], "text": ["Текст о событиях в Карабахе девятнадцатого сентября."]}
                 ).to_csv(path, index=False)
    entry, corpus = one(path)
    assert corpus["published"].iloc[0] == pd.Timestamp("2023-09-19 10:15", tz="UTC")
    assert "seendate→published" in entry["warnings"]


def test_a_source_column_of_domains_is_the_outlet_and_one_of_names_is_said_not_read(tmp_path):
    """Invented exports without url or outlet columns: `source` holding domains becomes the
    outlet; `source` holding agency names is not guessed into a domain, and the report says why."""
    base = {"headline": ["Первый", "Второй"], "body": ["Текст о переговорах в Баку и Ереване.", "Второй текст о мире."]}
    domains, names = tmp_path / "domains.csv", tmp_path / "names.csv"
    pd.DataFrame({**base, "source": ["news.am", "https://www.apa.az/"]}).to_csv(domains, index=False)
    pd.DataFrame({**base, "source": ["Reuters", "AP"]}).to_csv(names, index=False)
    entry, corpus = one(domains)
    assert corpus["outlet"].tolist() == ["news.am", "apa.az"] and "source→outlet" in entry["warnings"]
    entry, corpus = one(names)
    assert corpus["outlet"].isna().all()
    assert "column 'source' not read as the outlet: its values are not domains (e.g. 'Reuters')" in entry["warnings"]


def test_a_source_column_of_domains_beats_the_url_host_and_names_beside_a_url_say_nothing(tmp_path):
    """Review sweep (2026-12-07): with a `url` column, a `source` column of domains was ignored
    without a note, and mirrors' hosts became outlets (civilnet5.rssing.com for civilnet.am).
    Now the domains are the outlet; a `source` of agency names beside a URL is left alone, and
    the outlet comes from the URL, without a note. INVENTED rows."""
    body = ["Текст о переговорах в Баку и Ереване.", "Второй текст о мире."]
    urls = ["https://civilnet5.rssing.com/chan-1/article1.html", "https://apa.az/en/xeber/2"]
    mirrored, agencies = tmp_path / "mirrored.csv", tmp_path / "agencies.csv"
    pd.DataFrame({"text": body, "url": urls, "source": ["civilnet.am", "apa.az"]}).to_csv(mirrored, index=False)
    pd.DataFrame({"text": body, "url": urls, "source": ["Reuters", "AP"]}).to_csv(agencies, index=False)
    entry, corpus = one(mirrored)
    assert corpus["outlet"].tolist() == ["civilnet.am", "apa.az"] and "source→outlet" in entry["warnings"]
    entry, corpus = one(agencies)
    assert corpus["outlet"].tolist() == ["civilnet5.rssing.com", "apa.az"]
    assert "not read as the outlet" not in (entry["warnings"] or "")


@pytest.mark.parametrize("dates, expected, note", [
    (["08/06/2023", "06/25/2023 10:15", "2023-01-01"], ["2023-08-06", "2023-06-25", "2023-01-01"], "read month first"),
    (["08/06/2023", "25/06/2023"], ["2023-06-08", "2023-06-25"], None),
    (["08/06/2023", "02/05/2026"], ["2023-06-08", "2026-05-02"], "read day first (DD/MM/YYYY): no date"),
])
def test_slashed_dates_take_their_order_from_the_column(tmp_path, dates, expected, note):
    """Invented exports: a column whose dates show month first (25 as the second number) is read
    month first; one that shows day first stays day first; one that shows neither is read day
    first, as documented, and the report says so (a robustness sweep found American dates read
    day first without a word)."""
    path = tmp_path / "dates.csv"
    pd.DataFrame({"text": [f"Текст {i} о переговорах в Баку." for i in range(len(dates))], "date": dates}
                 ).to_csv(path, index=False)
    entry, corpus = one(path)
    assert [str(d.date()) for d in corpus["published"]] == expected
    if note:
        assert note in entry["warnings"]
    else:
        assert "read month first" not in entry["warnings"] and "read day first" not in entry["warnings"]


def test_a_given_language_that_the_text_contradicts_is_reported(tmp_path):
    """Invented rows: Russian text labelled kk, Russian text labelled ru-RU (agrees), Russian text
    labelled 'Russian' (no code: not compared). The detection is kept, and the report says which
    labels it overruled (before, silently)."""
    text = "Азербайджан и Армения продолжили переговоры о мирном договоре в Вашингтоне на этой неделе."
    path = tmp_path / "labelled.jsonl"
    pd.DataFrame({"text": [text, text + " Второй.", text + " Третий."], "language": ["kk", "ru-RU", "Russian"]}
                 ).to_json(path, orient="records", lines=True, force_ascii=False)
    entry, corpus = one(path)
    assert corpus["language"].astype(str).tolist() == ["ru", "ru", "ru"]
    assert "language labels overruled by the one detected from the text, which is kept: 'kk' → 'ru'" in entry["warnings"]


def test_a_table_with_a_repeated_index_reads_its_month_first_dates(tmp_path):
    """Review finding: a Parquet file written from a concatenation (index 0, 1, 0) was rejected
    whole when its dates were rewritten month first."""
    part = pd.DataFrame({"text": ["Текст о переговорах в Баку.", "Второй текст о мире в Ереване."],
                         "date": ["06/25/2023", "08/06/2023"]})
    path = tmp_path / "joined.parquet"
    pd.concat([part, part.iloc[:1].assign(text="Третий текст о переговорах.")]).to_parquet(path)
    entry, corpus = one(path)
    assert entry["status"] == "loaded" and entry["n_articles"] == 3
    assert [str(d.date()) for d in corpus["published"]] == ["2023-06-25", "2023-08-06", "2023-06-25"]


def test_numbers_are_no_domains_and_a_chunk_reads_what_the_file_shows(tmp_path):
    """Review findings: a numeric `source` column was announced as the outlet (and lost); chunks
    of a large table decided the date order and the outlet column each on their own. Now numbers
    are not domains, and a chunk reads its dates and its `source` column as the facts gathered
    over the whole file say; without facts on its dates (the first rows had no slashed date) a
    chunk reads slashed dates day first and says so."""
    from toolkit.readers import table_records

    texts = ["Текст о переговорах в Баку.", "Второй текст о мире в Ереване."]
    numbers = tmp_path / "numbers.parquet"
    pd.DataFrame({"text": texts, "source": [1.0, 2.5]}).to_parquet(numbers)
    entry, corpus = one(numbers)
    assert corpus["outlet"].isna().all() and "source→outlet" not in entry["warnings"]
    assert "column 'source' not read as the outlet" in entry["warnings"]
    chunk = pd.DataFrame({"text": texts, "date": ["08/06/2023", "09/07/2023"], "source": ["news.am", "apa.az"]})
    facts = {"dates": (True, False, True), "outlet": {"source": (10, 10, 10, "news.am")}}
    records, notes = table_records(chunk, "csv", first_row=1001, facts=facts)
    assert [r["published"] for r in records] == [pd.Timestamp("2023-08-06", tz="UTC"), pd.Timestamp("2023-09-07", tz="UTC")]
    assert [r["outlet"] for r in records] == ["news.am", "apa.az"] and notes == []   # a later chunk says nothing
    facts = {"dates": (True, True, False), "outlet": {"source": (10, 10, 8, "news.am")}}   # 80 % domains
    records, notes = table_records(chunk, "csv", first_row=1, facts=facts)
    assert records[0]["published"] == pd.Timestamp("2023-06-08", tz="UTC") and "outlet" not in records[0]
    assert any("column 'source' not read as the outlet" in n for n in notes)
    records, notes = table_records(chunk, "csv", first_row=1001, facts={})
    assert records[0]["published"] == pd.Timestamp("2023-06-08", tz="UTC") and "outlet" not in records[0]
    assert any("first rows had no slashed date" in n for n in notes)


def _large_table(path: Path, dates: list[str], sources: list[str]) -> Path:
    """A table of INVENTED rows in the format of ``path``'s suffix."""
    frame = pd.DataFrame({"text": [f"Сообщение номер {i} о переговорах в Баку." for i in range(len(dates))],
                          "date": dates, "source": sources})
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_large_table_decides_its_date_order_and_outlet_column_once_for_the_file(tmp_path, suffix):
    """Read in chunks of 10 rows, a table whose first 20 rows could be either order (08/06/2023)
    and whose row 25 can only be month first (06/25/2023) reads every chunk month first, the
    first chunk's 08/06/2023 as 6 August (before: 8 June, the month-first date of a later
    chunk as 25 June: two orders in one file); a `source` column of domains in every chunk
    becomes the outlet of every row. The same file with 25/06/2023 at row 25 reads day first.
    Dates and outlets INVENTED."""
    from toolkit.readers import iter_table_chunks

    n = 30
    for late, first_date in [("06/25/2023", pd.Timestamp("2023-08-06", tz="UTC")),
                             ("25/06/2023", pd.Timestamp("2023-06-08", tz="UTC"))]:
        dates = ["08/06/2023"] * n
        dates[24] = late
        path = _large_table(tmp_path / f"big{late[:2]}{suffix}", dates, ["news.am", "apa.az"] * (n // 2))
        chunks = list(iter_table_chunks(path, chunk_rows=10))
        assert len(chunks) == 3
        records = [r for found, _ in chunks for r in found]
        assert records[0]["published"] == first_date
        assert records[24]["published"] == pd.Timestamp("2023-06-25", tz="UTC")
        assert [r.get("outlet") for r in records] == ["news.am", "apa.az"] * (n // 2)
        notes = [note for _, found_notes in chunks for note in found_notes]
        assert ("dates read month first" in " ".join(notes)) == late.startswith("06")
        assert not any("first rows had no slashed date" in note for note in notes)


def test_a_large_tables_source_column_with_names_in_a_later_chunk_is_not_read(tmp_path):
    """The 90 % rule over the whole file: 12 of 30 `source` values are outlet names, not domains
    (in the last chunks only), so no chunk reads the column as the outlet and the first chunk
    says why, with an example of a value. INVENTED rows."""
    from toolkit.readers import iter_table_chunks

    sources = ["news.am"] * 18 + ["Armenpress"] * 12
    path = _large_table(tmp_path / "names.csv", ["2023-09-19"] * 30, sources)
    chunks = list(iter_table_chunks(path, chunk_rows=10))
    assert all("outlet" not in r for found, _ in chunks for r in found)
    assert any("column 'source' not read as the outlet" in n and "news.am" in n for n in chunks[0][1])
    assert chunks[0][0][0]["published"] == pd.Timestamp("2023-09-19", tz="UTC")


def test_table_facts_scans_only_when_the_first_rows_ask(tmp_path, monkeypatch):
    """ISO dates and no `source` column: the file is not read a second time (the scan is not
    called); slashed dates: it is."""
    from toolkit import readers

    calls = []
    real = readers._column_frames
    monkeypatch.setattr(readers, "_column_frames", lambda *a: calls.append(a) or real(*a))
    iso = tmp_path / "iso.csv"
    pd.DataFrame({"text": ["Текст о Баку."] * 3, "date": ["2023-09-19"] * 3, "outlet": ["apa.az"] * 3}).to_csv(iso, index=False)
    assert [facts for facts in (c.facts for c in readers.table_chunks(iso, chunk_rows=2))] == [{}, {}]
    assert calls == []
    slashed = _large_table(tmp_path / "slashed.csv", ["08/06/2023", "06/25/2023", "01/02/2023"], ["apa.az"] * 3)
    facts = [c.facts for c in readers.table_chunks(slashed, chunk_rows=2)]
    assert facts[0] == {"dates": (True, False, True), "outlet": {"source": (3, 3, 3, "apa.az")}} and len(calls) == 1


def test_a_text_whose_language_cannot_be_told_overrules_no_label(tmp_path):
    """Review finding: digits labelled `ru` were reported as overruled by `und`."""
    path = tmp_path / "digits.jsonl"
    pd.DataFrame({"text": ["12345 678 9999"], "language": ["ru"]}).to_json(path, orient="records", lines=True)
    entry, corpus = one(path)
    assert str(corpus["language"].iloc[0]) == "und"
    assert "overruled" not in (entry["warnings"] or "")


def test_a_chunk_of_numbers_in_a_month_first_file_is_read_not_a_crash(tmp_path):
    """Review (2026-12-07): a JSON Lines file with month-first dates in its first rows and epoch
    milliseconds later made every later chunk fail (`TypeError` on rewriting no dates), which
    ended the whole ingest. INVENTED rows, read in chunks of 10."""
    from toolkit.readers import iter_table_chunks

    rows = [{"text": f"Сообщение номер {i} о переговорах в Баку.",
             "date": "06/25/2023" if i < 10 else 1687651200000 + i} for i in range(30)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    records = [r for found, _ in iter_table_chunks(path, chunk_rows=10) for r in found]
    assert len(records) == 30
    assert records[0]["published"] == pd.Timestamp("2023-06-25", tz="UTC")
    assert records[29]["published"].date() == pd.Timestamp("2023-06-25").date()   # 1687651200000 ms


def _late_keys_table(path: Path, late: dict, early: dict | None = None, n: int = 30, from_row: int = 15) -> Path:
    """A JSON Lines file of ``n`` INVENTED rows: every row has a text and the keys of ``early``
    ({key: value per row}), rows ``from_row`` on also the keys of ``late`` (so a reader in chunks
    of 10 rows sees them in its second chunk first)."""
    rows = []
    for i in range(n):
        row = {"text": f"Сообщение номер {i} о переговорах в Баку."}
        row.update({key: values[i] for key, values in (early or {}).items()})
        if i >= from_row:
            row.update({key: values[i] for key, values in late.items()})
        rows.append(row)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def _as_read(records: list[dict]) -> list[tuple]:
    """What a reader made of each row: (text, outlet, date), a missing value as None."""
    def value(v):
        return v if isinstance(v, (str, pd.Timestamp)) else None

    return [(r["body"], value(r.get("outlet")), value(r.get("published"))) for r in records]


DOMAINS = ["news.am", "apa.az"] * 15
LATE_KEY_TABLES = {   # the keys a chunked reader met only in its second chunk (rows 15 on)
    "source of domains": ({"source": DOMAINS}, None, None),
    "month-first dates": ({"date": ["08/06/2023"] * 25 + ["06/25/2023"] * 5}, None, None),
    "ambiguous dates": ({"published_at": ["08/06/2023"] * 30}, None, None),
    "outlet beside an early source": ({"outlet": ["armenpress.am"] * 30}, {"source": DOMAINS}, None),
    "columns= key": ({"site_domain": DOMAINS}, None, {"site_domain": "outlet"}),
    # review: a url from row 15 on, beside a source of agency names, gave a chunk-only note
    "url beside an early source": ({"url": [f"https://armenpress.am/{i}" for i in range(30)]},
                                   {"source": ["Reuters"] * 30}, None),
}


@pytest.mark.parametrize("case", LATE_KEY_TABLES)
def test_a_large_jsonl_reads_keys_first_met_after_its_first_chunk_as_the_whole_file_does(tmp_path, case):
    """Review (2026-12-07): a large JSON Lines table's columns were those of its first chunk, so a
    key first met later was not scanned: a `source` of domains from row 15 on was never read as
    the outlet, a date key from row 15 on read its slashed dates day first ("unscanned"), an
    `outlet` from row 15 on did not stop an early `source` from being read as the outlet, and a
    `columns=` key from row 15 on was "not found". Read in chunks of 10 rows, every row reads as
    the same file read whole, with the same notes. INVENTED rows (`_late_keys_table`)."""
    from toolkit.readers import iter_table_chunks, read_file

    late, early, columns = LATE_KEY_TABLES[case]
    path = _late_keys_table(tmp_path / "late.jsonl", late, early)
    whole, whole_notes = read_file(path, columns=columns)
    chunks = list(iter_table_chunks(path, columns=columns, chunk_rows=10))
    assert _as_read([r for found, _ in chunks for r in found]) == _as_read(whole)
    assert [n for _, notes in chunks for n in notes] == whole_notes
    read = _as_read(whole)
    if case in ("source of domains", "columns= key"):
        assert [outlet for _, outlet, _ in read] == [None] * 15 + DOMAINS[15:]
    if case == "outlet beside an early source":
        assert [outlet for _, outlet, _ in read] == [None] * 15 + ["armenpress.am"] * 15
    if case == "month-first dates":
        assert read[15][2] == pd.Timestamp("2023-08-06", tz="UTC") and "dates read month first" in " ".join(whole_notes)
    if case == "ambiguous dates":   # no date shows the order: day first, and the notes say so
        assert read[15][2] == pd.Timestamp("2023-06-08", tz="UTC") and "read day first" in " ".join(whole_notes)


def test_a_large_jsonl_whose_text_holds_a_line_separator_reads_as_the_whole_file(tmp_path):
    """A text with U+2028 (JSON allows it unescaped) split its line in a chunk (`str.splitlines`),
    so a large file was rejected ("Unterminated string") that read whole. INVENTED rows."""
    from toolkit.readers import iter_table_chunks, read_file

    path = _late_keys_table(tmp_path / "separator.jsonl", {"text": [f"Строка {i}\u2028вторая строка о Баку." for i in range(30)]})
    whole, _ = read_file(path)
    assert _as_read([r for found, _ in iter_table_chunks(path, chunk_rows=10) for r in found]) == _as_read(whole)
    assert whole[20]["body"] == "Строка 20\u2028вторая строка о Баку."


def test_the_prescan_of_a_large_jsonl_reads_it_again_only_for_what_its_first_chunk_leaves_open(tmp_path, monkeypatch):
    """ISO dates and an outlet in the first chunk: the file is not read again. No outlet column:
    one pass searches the text for a late outlet or `source` key, parsing no row (the first
    chunk's parse is the only one). A `source` key from row 15 on: rows are parsed from the block
    where it is met (the pre-scan reads blocks of 15 rows here), not before. INVENTED rows."""
    from toolkit import readers

    monkeypatch.setattr(readers, "SCAN_ROWS", 15)
    passes, parses = [], []
    blocks, objects = readers._jsonl_blocks, readers._json_objects
    monkeypatch.setattr(readers, "_jsonl_blocks", lambda path, rows: passes.append(rows) or blocks(path, rows))
    monkeypatch.setattr(readers, "_json_objects", lambda text: parses.append(text) or objects(text))
    dates = [f"2023-09-{1 + i % 28:02d}" for i in range(30)]

    def prescan(path):
        passes.clear()
        parses.clear()
        facts = [chunk.facts for chunk in readers.table_chunks(path, chunk_rows=10)][0]
        return facts, passes.count(15), len(parses)   # (facts, passes of the pre-scan, texts parsed)

    settled = _late_keys_table(tmp_path / "settled.jsonl", {}, {"date": dates, "outlet": DOMAINS})
    assert prescan(settled) == ({"columns": ["text", "date", "outlet"]}, 0, 1)
    no_outlet = _late_keys_table(tmp_path / "no_outlet.jsonl", {}, {"date": dates})
    assert prescan(no_outlet) == ({"columns": ["text", "date"]}, 1, 1)
    late_source = _late_keys_table(tmp_path / "late_source.jsonl", {"source": DOMAINS}, {"date": dates})
    assert prescan(late_source) == ({"columns": ["text", "date", "source"], "outlet": {"source": (15, 15, 15, "apa.az")}}, 1, 2)


def test_a_key_is_told_from_a_text_that_quotes_it_in_any_encoding():
    """The pre-scan's search for keys first met later (`readers._keys_in_text`): a text quoting
    "source": is no key; the key is found in UTF-16 and, for a `columns=` name, written with \\u
    escapes (`json.dumps` writes them by default). INVENTED lines."""
    from toolkit.readers import _keys_in_text

    lines = [{"text": 'Он сказал "source": здесь'}, {"text": "б", "Source": "apa.az", "источник": "news.am"}]
    for ascii_only, encoding in [(True, "utf-8"), (False, "utf-8"), (False, "utf-16")]:
        data = "\n".join(json.dumps(row, ensure_ascii=ascii_only) for row in lines).encode(encoding)
        assert _keys_in_text(data, {"source", "outlet"}, {"источник"}) == ["Source", "источник"]
        quoted = json.dumps(lines[0], ensure_ascii=ascii_only).encode(encoding)
        assert _keys_in_text(quoted, {"source"}, set()) == []


def test_a_json_lines_parse_error_names_its_line(tmp_path):
    """Review (2026-12-07): a bad third line was reported as "line 1 column 10" (the one line
    parsed). Invented file."""
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "a", "url": "https://x.am/1"}\n\n{"text": "b", oops}\n', encoding="utf-8")
    from toolkit.readers import read_file

    with pytest.raises(ValueError, match=r"line 3 is not JSON"):
        read_file(path)
    report = ingest(path).report
    assert "line 3 is not JSON" in report.loc[0, "reason"]


def test_feed_entries_and_pages_dated_after_today_lose_the_date(tmp_path):
    # no article is published in the future (2026-12-08): the date is dropped and reported, in feeds
    # as in tables and text files. Invented feed.
    feed = BROKEN_ENTRY_RSS.replace("Mon, 02 Oct 2023 10:00:00 GMT", "Mon, 02 Oct 2091 10:00:00 GMT")
    path = tmp_path / "future.xml"
    path.write_text(feed, encoding="utf-8")
    entry, corpus = one(path)
    assert "dated after today in entries 1 (2091-10-02): the dates were dropped, kept without a date" in entry["warnings"]
    assert corpus["published"].isna().all()
