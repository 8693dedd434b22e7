"""Reading articles (analytics.ingest): files, directories and standard input -> Articles and
IngestErrors, in input order.

Every file here is written by the test itself, in the bytes it names (UTF-8, UTF-16, real
Windows-1256), and read back through `read_articles`, the function both `extract` and `ingest`
use.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import sys
import tracemalloc
from pathlib import Path

import pytest

from analytics.errors import IngestError
from analytics.ingest import decode_bytes, html_to_text, parse_published, read_articles
from analytics.model import Article

TEXT = "بحث الأمين العام لمنظمة التعاون الإسلامي مع وزير خارجية أذربيجان في باكو اليوم."
OTHER = "افتتح وزير الثقافة معرض الكتاب الدولي في تونس أمس، بمشاركة 300 دار نشر."


def read(*inputs, published: dt.date | None = None) -> list[Article | IngestError]:
    return list(read_articles([str(i) for i in inputs], published=published))


def ids(items) -> list[str]:
    return [a.id for a in items if isinstance(a, Article)]


def errors(items) -> list[IngestError]:
    return [e for e in items if isinstance(e, IngestError)]


def jsonl(path: Path, *records, encoding: str = "utf-8") -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


# ---------------------------------------------------------------- .txt

def test_a_txt_file_is_one_article_named_by_its_file_and_dated_by_the_option(tmp_path):
    (tmp_path / "oic-2016-04-21.txt").write_text(TEXT, encoding="utf-8")
    [article] = read(tmp_path / "oic-2016-04-21.txt", published=dt.date(2016, 4, 21))
    assert article == Article(id="oic-2016-04-21", text=TEXT, published=dt.date(2016, 4, 21))


def test_a_txt_file_without_the_option_has_no_publication_date(tmp_path):
    (tmp_path / "a1.txt").write_text(TEXT, encoding="utf-8")
    [article] = read(tmp_path / "a1.txt")
    assert article.published is None


def test_html_inside_a_txt_file_is_kept_as_given(tmp_path):
    """Offsets index the text as given: a .txt is never stripped."""
    text = "<p>عقد <b>مجلس الجامعة</b> اجتماعا &amp; طارئا</p>\r\n<script>x()</script>"
    (tmp_path / "a1.txt").write_bytes(text.encode("utf-8"))
    [article] = read(tmp_path / "a1.txt")
    assert article.text == text


# ---------------------------------------------------------------- encodings

ENCODINGS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8 with BOM"),
    ("utf-16", "UTF-16 with BOM"),
    ("utf-16-le", "UTF-16 LE without BOM"),
    ("utf-16-be", "UTF-16 BE without BOM"),
    ("cp1256", "Windows-1256"),
]


@pytest.mark.parametrize("encoding", [e for e, _ in ENCODINGS], ids=[n for _, n in ENCODINGS])
def test_a_txt_file_in_each_accepted_encoding_reads_as_the_same_text(tmp_path, encoding):
    (tmp_path / "a1.txt").write_bytes(TEXT.encode(encoding))
    [article] = read(tmp_path / "a1.txt")
    assert article.text == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1256", "utf-8-sig"])
def test_a_jsonl_file_in_each_accepted_encoding_reads_line_by_line(tmp_path, encoding):
    path = jsonl(tmp_path / "news.jsonl", {"id": "a1", "text": TEXT},
                 {"id": "a2", "text": OTHER, "title": "معرض تونس"}, encoding=encoding)
    items = read(path)
    assert [(a.id, a.text, a.title) for a in items] == [("a1", TEXT, None),
                                                        ("a2", OTHER, "معرض تونس")]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1256", "utf-8-sig"])
def test_a_csv_file_in_each_accepted_encoding_reads_row_by_row(tmp_path, encoding):
    path = tmp_path / "news.csv"
    path.write_bytes(f'id,title,text\na1,خبر,"{TEXT}"\na2,,"{OTHER}"\n'.encode(encoding))
    items = read(path)
    assert [(a.id, a.title, a.text) for a in items] == [("a1", "خبر", TEXT), ("a2", None, OTHER)]


def test_one_windows_1256_line_in_a_utf8_jsonl_file_is_still_read(tmp_path):
    """JSONL lines are decoded one by one: an archive stitched from two sources keeps both."""
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(json.dumps({"id": "a1", "text": TEXT}, ensure_ascii=False).encode("utf-8")
                     + b"\n"
                     + json.dumps({"id": "a2", "text": OTHER}, ensure_ascii=False).encode("cp1256")
                     + b"\n")
    assert [a.text for a in read(path)] == [TEXT, OTHER]


def test_broken_utf8_is_rejected_with_the_offset_and_how_to_convert(tmp_path):
    data = TEXT.encode("utf-8")
    # The letter that starts at byte 20 loses its second byte.
    (tmp_path / "cut.txt").write_bytes(data[:21] + data[22:])
    [err] = read(tmp_path / "cut.txt")
    assert isinstance(err, IngestError)
    assert (err.path, err.article_id) == (str(tmp_path / "cut.txt"), "cut")
    assert "UTF-8" in err.reason and "offset 20" in err.reason and "convert" in err.reason


def test_latin1_text_is_rejected_rather_than_read_as_arabic_mojibake(tmp_path):
    (tmp_path / "fr.txt").write_bytes("Réunion à Genève des ministres arabes".encode("latin-1"))
    [err] = read(tmp_path / "fr.txt")
    assert isinstance(err, IngestError)
    assert "Windows-1256" in err.reason


def test_utf8_arabic_read_as_windows_1256_would_be_mojibake_and_is_not_accepted():
    """Every byte decodes under cp1256, so decodability proves nothing; broken UTF-8 Arabic is
    mostly symbols under cp1256 and must not pass for Arabic."""
    broken = TEXT.encode("utf-8") + b"\xff"
    with pytest.raises(IngestError):
        decode_bytes(broken)


def test_a_page_declaring_windows_1256_is_decoded_with_it(tmp_path):
    page = (f'<html><head><meta charset="windows-1256"><title>خبر</title></head>'
            f"<body><p>{TEXT}</p></body></html>")
    (tmp_path / "p1.html").write_bytes(page.encode("cp1256"))
    [article] = read(tmp_path / "p1.html")
    assert (article.title, article.text) == ("خبر", TEXT)


# ---------------------------------------------------------------- .jsonl

def test_jsonl_fields_become_the_article(tmp_path):
    path = jsonl(tmp_path / "news.jsonl",
                 {"id": "oic-1", "text": TEXT, "title": "منظمة التعاون الإسلامي",
                  "published": "2016-04-21", "source": "OIC", "url": "https://oic-oci.org/x",
                  "category": "politic"})
    [article] = read(path)
    assert article == Article(id="oic-1", text=TEXT, title="منظمة التعاون الإسلامي",
                              published=dt.date(2016, 4, 21), source="OIC",
                              url="https://oic-oci.org/x")


@pytest.mark.parametrize("value, expected", [
    ("2016-04-21", dt.date(2016, 4, 21)),
    ("2016-04-21T23:30:00", dt.date(2016, 4, 21)),
    ("2016-04-21T23:30:00Z", dt.date(2016, 4, 21)),
    ("2016-04-21T23:30:00-05:00", dt.date(2016, 4, 21)),   # the source's own day, not UTC's
    ("2016-04-21 08:00:00.123", dt.date(2016, 4, 21)),
    (" 2016-04-21 ", dt.date(2016, 4, 21)),
    ("", None),
    (None, None),
])
def test_published_is_an_iso_date_or_datetime(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["21/04/2016", "2016-13-01", "yesterday", "2016-04-21garbage",
                                   20160421, ["2016-04-21"]])
def test_a_published_value_that_is_not_a_date_is_refused(value):
    with pytest.raises((ValueError, TypeError)):
        parse_published(value)


def test_an_article_whose_published_is_not_a_date_is_rejected_and_the_next_is_read(tmp_path):
    """Chosen policy (analytics.ingest.records): an error, not a warning, since every relative
    date of the article would otherwise be resolved against a wrong day or none."""
    path = jsonl(tmp_path / "news.jsonl", {"id": "a1", "text": TEXT, "published": "21/04/2016"},
                 {"id": "a2", "text": OTHER, "published": "2016-04-21"})
    err, article = read(path)
    assert isinstance(err, IngestError)
    assert (err.path, err.line, err.article_id) == (str(path), 1, "a1")
    assert "published" in err.reason and "YYYY-MM-DD" in err.reason
    assert article.id == "a2"


def test_blank_lines_in_jsonl_are_skipped_and_line_numbers_stay_true(tmp_path):
    path = jsonl(tmp_path / "news.jsonl", {"id": "a1", "text": TEXT}, "", "   ",
                 {"id": "a2", "text": ""})
    article, err = read(path)
    assert article.id == "a1"
    assert (err.line, err.article_id) == (4, "a2")


def test_an_integer_id_becomes_its_decimal_string(tmp_path):
    path = jsonl(tmp_path / "news.jsonl", {"id": 12, "text": TEXT})
    assert ids(read(path)) == ["12"]


@pytest.mark.parametrize("line, words", [
    (json.dumps({"text": TEXT}, ensure_ascii=False), ['no "id"']),
    (json.dumps({"id": "  ", "text": TEXT}, ensure_ascii=False), ['empty "id"']),
    (json.dumps({"id": {"n": 1}, "text": TEXT}, ensure_ascii=False), ["id must be"]),
    (json.dumps({"id": "b", "text": ""}), ["no text"]),
    (json.dumps({"id": "b", "text": " \n\t\u200b\u200f "}), ["no text"]),
    (json.dumps({"id": "b"}), ["text must be a string"]),
    (json.dumps({"id": "b", "text": 42}), ["text must be a string"]),
    (json.dumps({"id": "b", "text": TEXT, "title": 7}, ensure_ascii=False), ["title"]),
    ('["b", "نص"]', ["array", "object"]),
    ('"نص"', ["string", "object"]),
    ("17", ["number", "object"]),
    ('{"id": "b", "text": "نص', ["not valid JSON", "column"]),
    ('{"id": "b", "text": "x\\ud83d y"}', ["surrogate"]),
], ids=["no id", "blank id", "object id", "empty text", "invisible text", "no text",
        "number text", "number title", "array", "string", "number", "broken JSON",
        "lone surrogate"])
def test_a_bad_jsonl_line_is_one_error_naming_file_and_line_and_the_next_line_is_read(
        tmp_path, line, words):
    path = jsonl(tmp_path / "news.jsonl", {"id": "a1", "text": TEXT}, line,
                 {"id": "a3", "text": OTHER})
    first, err, last = read(path)
    assert (first.id, last.id) == ("a1", "a3")
    assert isinstance(err, IngestError)
    assert (err.path, err.line) == (str(path), 2)
    assert all(w in err.reason for w in words), err.reason
    assert str(path) + ":2" in str(err)


def test_an_error_about_a_known_article_names_its_id(tmp_path):
    path = jsonl(tmp_path / "news.jsonl", {"id": "oic-7", "text": "   "})
    [err] = read(path)
    assert err.article_id == "oic-7"
    assert "'oic-7'" in str(err)


def test_a_1_mb_jsonl_line_is_read(tmp_path):
    long_text = (OTHER + " ") * (1_000_000 // len(OTHER))
    path = jsonl(tmp_path / "long.jsonl", {"id": "long", "text": long_text},
                 {"id": "a2", "text": TEXT})
    articles = read(path)
    assert [(a.id, len(a.text)) for a in articles] == [("long", len(long_text)),
                                                       ("a2", len(TEXT))]


def test_reading_a_10000_line_jsonl_file_keeps_memory_flat(tmp_path):
    """Articles stream: the peak while reading 10,000 articles (about 13 MB) stays a small
    fraction of the file (only the ids are kept, for the duplicate check)."""
    path = tmp_path / "big.jsonl"
    body = (TEXT + " " + OTHER + " ") * 4       # about 660 characters, as agency copy
    with path.open("w", encoding="utf-8") as fh:
        for n in range(10_000):
            fh.write(json.dumps({"id": f"a{n:05d}", "text": body}, ensure_ascii=False) + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for item in read_articles([str(path)]) if isinstance(item, Article))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert size > 10_000_000
    assert peak < size / 5, (peak, size)


def test_jsonl_on_standard_input(monkeypatch):
    data = (json.dumps({"id": "s1", "text": TEXT}, ensure_ascii=False) + "\n"
            + json.dumps({"id": "s2", "text": OTHER}, ensure_ascii=False) + "\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(
        io.BytesIO(data.encode("utf-8")))))
    items = read("-")
    assert [(a.id, a.text) for a in items] == [("s1", TEXT), ("s2", OTHER)]


def test_an_error_on_standard_input_names_it(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(
        io.BytesIO(b'{"id": "s1"\n'))))
    [err] = read("-")
    assert (err.path, err.line) == ("<stdin>", 1)


# ---------------------------------------------------------------- duplicates

def test_a_duplicate_id_within_a_run_rejects_the_later_article(tmp_path):
    first = jsonl(tmp_path / "one.jsonl", {"id": "a1", "text": TEXT})
    second = jsonl(tmp_path / "two.jsonl", {"id": "a2", "text": OTHER},
                   {"id": "a1", "text": OTHER})
    a1, a2, err = read(first, second)
    assert (a1.id, a1.text, a2.id) == ("a1", TEXT, "a2")
    assert (err.path, err.line, err.article_id) == (str(second), 2, "a1")
    assert "duplicate" in err.reason and str(first) in err.reason


def test_two_txt_files_with_the_same_name_in_different_folders_collide(tmp_path):
    for folder in ("2016", "2017"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a1.txt").write_text(TEXT, encoding="utf-8")
    article, err = read(tmp_path)
    assert article.id == "a1"
    assert err.path == str(tmp_path / "2017" / "a1.txt") and "duplicate" in err.reason


# ---------------------------------------------------------------- .csv

def test_csv_quoted_fields_keep_their_line_breaks_and_commas(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,published,text,url\n'
                    'c1,2016-04-21,"سطر أول،, وسطر ""ثان""\nوسطر ثالث",http://x/1\n'
                    'c2,,"نص قصير",\n', encoding="utf-8")
    c1, c2 = read(path)
    assert c1 == Article(id="c1", text='سطر أول،, وسطر "ثان"\nوسطر ثالث',
                         published=dt.date(2016, 4, 21), url="http://x/1")
    assert (c2.id, c2.published, c2.url) == ("c2", None, None)


def test_csv_errors_name_the_line_a_row_starts_on(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,text\nc1,"سطر\nسطر"\nc2,\nc3,نص\n', encoding="utf-8")
    c1, err, c3 = read(path)
    assert (c1.id, c3.id) == ("c1", "c3")
    assert (err.line, err.article_id) == (4, "c2")


def test_csv_columns_are_found_by_name_in_any_order_and_case_with_tabs(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("Text\tTitle\tID\n" + TEXT + "\tعنوان\tt1\n", encoding="utf-8")
    [article] = read(path)
    assert (article.id, article.title, article.text) == ("t1", "عنوان", TEXT)


@pytest.mark.parametrize("header, missing", [
    ("id,body,title", "'text'"),
    ("key,text", "'id'"),
])
def test_a_csv_without_an_id_or_text_column_is_one_error_for_the_file(tmp_path, header,
                                                                      missing):
    path = tmp_path / "news.csv"
    path.write_text(header + "\na1,نص,عنوان\na2,نص,عنوان\n", encoding="utf-8")
    [err] = read(path)
    assert (err.path, err.line) == (str(path), 1)
    assert missing in err.reason and "column" in err.reason


def test_an_empty_csv_file_is_one_error(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    [err] = read(tmp_path / "empty.csv")
    assert "header" in err.reason


def test_a_csv_row_with_more_fields_than_columns_is_an_error(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,text\nc1,نص,زائد\nc2,نص\n", encoding="utf-8")
    err, article = read(path)
    assert (err.line, article.id) == (2, "c2")
    assert "quoting" in err.reason


def test_a_1_mb_csv_field_is_read(tmp_path):
    long_text = (OTHER + " ") * (1_000_000 // len(OTHER))
    path = tmp_path / "long.csv"
    path.write_text(f'id,text\nlong,"{long_text}"\n', encoding="utf-8")
    [article] = read(path)
    assert article.text == long_text


# ---------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html lang="ar"><head>
<meta charset="utf-8">
<title>  الأمين العام   يزور باكو </title>
<meta property="article:published_time" content="2016-04-21T10:15:00+04:00">
<meta property="og:site_name" content="وكالة الأنباء">
<link rel="canonical" href="https://example.org/news/1">
<style>p { color: red }</style>
<script>var x = "<p>ليس نصا</p>";</script>
</head>
<body>
<nav><ul><li>الرئيسية</li></ul></nav>
<h1>زيارة رسمية</h1>
<p>وصل الأمين العام إلى   باكو&nbsp;اليوم &amp; التقى
الرئيس علييف.<br>وبحث الجانبان &laquo;التعاون&raquo;.</p>
<noscript>فعّل جافاسكربت</noscript>
<!-- تعليق -->
</body></html>"""


def test_html_keeps_the_visible_text_one_line_per_block():
    page = html_to_text(PAGE)
    assert page.text == ("الرئيسية\nزيارة رسمية\n"
                         "وصل الأمين العام إلى باكو اليوم & التقى الرئيس علييف.\n"
                         "وبحث الجانبان «التعاون».")


def test_html_title_and_metadata_come_from_the_head():
    page = html_to_text(PAGE)
    assert (page.title, page.published, page.url, page.source) == (
        "الأمين العام يزور باكو", "2016-04-21T10:15:00+04:00", "https://example.org/news/1",
        "وكالة الأنباء")


def test_an_html_file_is_one_article_named_by_its_file(tmp_path):
    (tmp_path / "baku-visit.htm").write_text(PAGE, encoding="utf-8")
    [article] = read(tmp_path / "baku-visit.htm", published=dt.date(2020, 1, 1))
    assert (article.id, article.title, article.published, article.url) == (
        "baku-visit", "الأمين العام يزور باكو", dt.date(2016, 4, 21),
        "https://example.org/news/1")
    assert "<" not in article.text and "باكو" in article.text


def test_an_html_page_without_a_date_takes_the_published_option(tmp_path):
    (tmp_path / "p.html").write_text(f"<p>{TEXT}</p>", encoding="utf-8")
    [article] = read(tmp_path / "p.html", published=dt.date(2016, 4, 21))
    assert (article.title, article.text, article.published) == (None, TEXT,
                                                                dt.date(2016, 4, 21))


def test_an_html_page_with_only_markup_is_an_empty_article(tmp_path):
    (tmp_path / "p.html").write_text("<html><head><title>عنوان</title></head>"
                                     "<body><script>x()</script></body></html>",
                                     encoding="utf-8")
    [err] = read(tmp_path / "p.html")
    assert isinstance(err, IngestError) and "no text" in err.reason


# ---------------------------------------------------------------- directories, paths

def test_a_directory_is_read_recursively_in_sorted_order_with_only_article_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "b2.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c1", "text": TEXT}) + "\n",
                                      encoding="utf-8")
    (tmp_path / "d.HTML").write_text(f"<p>{TEXT}</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# ملاحظات", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text(TEXT, encoding="utf-8")
    assert ids(read(tmp_path)) == ["a1", "b2", "c1", "d"]
    assert errors(read(tmp_path)) == []


def test_an_empty_directory_is_an_error(tmp_path):
    [err] = read(tmp_path)
    assert err.path == str(tmp_path) and "no " in err.reason


def test_a_file_that_does_not_exist_is_an_error_and_the_next_input_is_read(tmp_path):
    (tmp_path / "a1.txt").write_text(TEXT, encoding="utf-8")
    for missing in ("missing.txt", "missing.jsonl", "missing.pdf"):
        err, article = read(tmp_path / missing, tmp_path / "a1.txt")
        assert err.path == str(tmp_path / missing) and "no such file" in err.reason
        assert article.id == "a1"


@pytest.mark.parametrize("name", ["report.pdf", "notes.json", "README"])
def test_an_unknown_extension_is_an_error_naming_the_accepted_ones(tmp_path, name):
    (tmp_path / name).write_text(TEXT, encoding="utf-8")
    [err] = read(tmp_path / name)
    assert err.path == str(tmp_path / name)
    assert "unsupported" in err.reason and ".jsonl" in err.reason


def test_inputs_are_read_in_the_order_given(tmp_path):
    (tmp_path / "z.txt").write_text(TEXT, encoding="utf-8")
    path = jsonl(tmp_path / "a.jsonl", {"id": "j1", "text": TEXT})
    assert ids(read(tmp_path / "z.txt", path)) == ["z", "j1"]


# ---------------------------------------------------------------- large inputs

def test_a_10_mb_article_is_read_whole(tmp_path):
    text = (TEXT + "\n") * (10_000_000 // len((TEXT + "\n").encode("utf-8")) + 1)
    (tmp_path / "huge.txt").write_text(text, encoding="utf-8")
    assert (tmp_path / "huge.txt").stat().st_size > 10_000_000
    [article] = read(tmp_path / "huge.txt")
    assert article.text == text


def test_a_large_windows_1256_archive_file_is_recognised(tmp_path):
    text = (OTHER + "\r\n") * 20_000
    (tmp_path / "archive.txt").write_bytes(text.encode("cp1256"))
    [article] = read(tmp_path / "archive.txt")
    assert article.text == text


def test_the_boms_the_decoder_knows_are_the_standard_ones():
    """UTF-32 LE's mark begins with UTF-16 LE's: it must be recognised as UTF-32."""
    text, encoding = decode_bytes(codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"))
    assert (text, encoding) == (TEXT, "utf-32")
