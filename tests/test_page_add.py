"""Adding articles: uploads read from their bytes (never from a path named by the upload), the
extraction shown before anything is stored, the Store button writing through the store's writer
and the dashboard reading the new store at once; per-file errors, and limits on count, size and
type with clear messages.

The articles are written here, in the style of agency news; the pipeline is the real one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.errors import IngestError
from analytics.ingest.readers import read_uploads
from analytics.model import Article
from analytics.store import Store
from page_checks import app_on, run
from test_queries import build_store

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGE = "app_pages/add.py"

FORUM = ("أعلنت منظمة التعاون الإسلامي أن المنتدى العالمي السابع لتحالف الحضارات سيعقد في باكو "
         "يومي 25 و26 أبريل الجاري بمشاركة 3000 شخص.")
VISIT = "استقبل وزير الخارجية المصري سامح شكري في القاهرة اليوم نظيره الأردني أيمن الصفدي."


# -- read_uploads: bytes in, articles out ---------------------------------------------------

def read(*uploads: tuple[str, bytes], published: dt.date | None = None) -> list:
    return list(read_uploads(uploads, published))


def test_a_txt_upload_is_one_article_named_after_the_file():
    (article,) = read(("forum-2016.txt", FORUM.encode()), published=dt.date(2016, 4, 21))
    assert article == Article(id="forum-2016", text=FORUM, published=dt.date(2016, 4, 21))


@pytest.mark.parametrize("name, article_id", [
    ("../../etc/passwd.txt", "passwd"),
    ("C:\\Users\\x\\news.txt", "news"),
    ("/tmp/a b.TXT", "a b"),
])
def test_an_uploads_name_only_names_the_article(name, article_id):
    (article,) = read((name, FORUM.encode()))
    assert (article.id, article.text) == (article_id, FORUM)


def test_an_upload_is_never_read_from_the_path_its_name_gives(tmp_path):
    on_disk = tmp_path / "secret.txt"
    on_disk.write_text("نص سري على القرص", encoding="utf-8")
    (article,) = read((str(on_disk), FORUM.encode()))
    assert article.text == FORUM


def test_jsonl_and_csv_uploads_hold_many_articles_and_report_bad_lines():
    jsonl = "\n".join([json.dumps({"id": "a1", "text": FORUM, "published": "2016-04-21"},
                                  ensure_ascii=False), "{broken", json.dumps([1, 2])]).encode()
    csv = ('id,text,published\r\nc1,"' + VISIT + '\nسطر ثان",2017-03-01\r\n').encode("utf-8")
    items = read(("batch.jsonl", jsonl), ("batch.csv", csv))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [a.id for a in articles] == ["a1", "c1"]
    assert articles[1].text == VISIT + "\nسطر ثان"
    assert [(e.path, e.line) for e in errors] == [("batch.jsonl", 2), ("batch.jsonl", 3)]


def test_an_html_upload_gives_its_title_and_visible_text():
    page = (f"<html><head><title>منتدى باكو</title></head><body><script>x()</script>"
            f"<p>{FORUM}</p></body></html>").encode()
    (article,) = read(("forum.html", page))
    assert (article.id, article.title) == ("forum", "منتدى باكو")
    assert FORUM in article.text and "x()" not in article.text


def test_windows_1256_uploads_are_decoded():
    (article,) = read(("old.txt", VISIT.encode("cp1256")))
    assert article.text == VISIT


@pytest.mark.parametrize("uploads, reason", [
    ((("empty.txt", b"  \n"),), "has no text"),
    ((("tool.exe", b"MZ"),), "unsupported file type '.exe'"),
    ((("noext", FORUM.encode()),), "file without an extension"),
    ((("a.txt", FORUM.encode()), ("a.txt", VISIT.encode())), "duplicate id"),
    ((("bad.csv", b"name,body\r\nx,y\r\n"),), "no 'id' or 'text' column"),
])
def test_bad_uploads_are_errors_naming_the_file(uploads, reason):
    errors = [i for i in read(*uploads) if isinstance(i, IngestError)]
    assert len(errors) == 1
    assert reason in str(errors[0]) and uploads[-1][0] in str(errors[0])


# -- the page ---------------------------------------------------------------------------------

@pytest.fixture
def store_path(tmp_path) -> Path:
    return build_store(tmp_path / "analytics.duckdb")


def open_page(path: Path, monkeypatch, **params) -> AppTest:
    """The add page of a session opened on a URL with these parameters."""
    at = app_on(path, monkeypatch)
    at.query_params.update(params)
    run(at)
    return run(at.switch_page(PAGE))


def events_table(at: AppTest):
    """The table of events found (the one frame that is not the problems table)."""
    (frame,) = [d.value for d in at.dataframe if "problem" not in d.value.columns]
    return frame


def problems(at: AppTest) -> list[str]:
    (frame,) = [d.value for d in at.dataframe if "problem" in d.value.columns]
    return list(frame["problem"])


def stored_ids(path: Path) -> set[str]:
    with Store.open(path, read_only=True) as store:
        return set(store.query("SELECT id FROM articles")["id"])


def test_an_upload_is_shown_before_it_is_stored_and_stored_on_request(store_path, monkeypatch):
    at = open_page(store_path, monkeypatch)
    assert at.title[0].value == "Add articles"
    at.file_uploader(key="add_files").upload("baku-forum.txt", FORUM.encode(), "text/plain")
    at.date_input(key="add_published").set_value(dt.date(2016, 4, 21))
    at.button(key="add_extract").click()
    run(at)
    found = events_table(at)
    forum = found[found["Type"] == "Forum"].iloc[0]
    assert forum["Name"] == "المنتدى العالمي السابع لتحالف الحضارات"
    assert forum["Venue"] == "Baku"
    assert forum["Start"] == dt.date(2016, 4, 25)
    assert "baku-forum" not in stored_ids(store_path)  # nothing stored yet

    at.button(key="add_store").click()
    run(at)
    assert "baku-forum" in stored_ids(store_path)
    assert "Stored: 1 new" in at.success[0].value
    # The read-only store of the dashboard sees the new file: the sidebar offers Baku.
    assert "Baku" in at.multiselect(key="cities").options
    at.switch_page("app_pages/records.py")
    run(at)
    assert "Baku" in set(at.dataframe[0].value["Venue"])


def test_a_pasted_text_with_its_date_is_extracted(store_path, monkeypatch):
    at = open_page(store_path, monkeypatch, lang="ar")
    at.text_area(key="add_text").input(VISIT)
    at.date_input(key="add_published").set_value(dt.date(2017, 3, 1))
    at.text_input(key="add_source").input("وكالة الأنباء")
    at.button(key="add_extract").click()
    run(at)
    found = events_table(at)
    assert list(found["النوع"]) == ["اجتماع"]
    assert list(found["المكان"]) == ["القاهرة"]
    assert list(found["البداية"]) == [dt.date(2017, 3, 1)]
    at.button(key="add_store").click()
    run(at)
    with Store.open(store_path, read_only=True) as store:
        row = store.query("SELECT source, published FROM articles WHERE id LIKE 'pasted-%'")
    assert list(row["source"]) == ["وكالة الأنباء"]


def test_discarding_stores_nothing(store_path, monkeypatch):
    at = open_page(store_path, monkeypatch)
    at.file_uploader(key="add_files").upload("visit.txt", VISIT.encode(), "text/plain")
    at.button(key="add_extract").click()
    run(at)
    at.button(key="add_discard").click()
    run(at)
    assert not at.dataframe and "visit" not in stored_ids(store_path)


def test_each_bad_file_is_named_with_its_reason_and_the_good_ones_go_on(store_path,
                                                                         monkeypatch):
    at = open_page(store_path, monkeypatch)
    uploader = at.file_uploader(key="add_files")
    uploader.upload("empty.txt", b"   ", "text/plain")
    uploader.upload("batch.jsonl", ("{not json\n" + json.dumps(
        {"id": "ok", "text": VISIT, "published": "2017-03-01"}, ensure_ascii=False)).encode(),
        "application/json")
    at.button(key="add_extract").click()
    run(at)
    reported = problems(at)
    assert len(reported) == 2
    assert any("empty.txt" in p and "has no text" in p for p in reported)
    assert any("batch.jsonl:1" in p and "not valid JSON" in p for p in reported)
    assert at.warning[0].value == "2 problems; the other articles can still be stored."
    assert list(events_table(at)["Article"]) == ["ok"]


def test_more_files_than_the_limit_are_refused_with_a_message(store_path, monkeypatch):
    at = open_page(store_path, monkeypatch)
    at.file_uploader(key="add_files").set_value(
        [(f"a{n}.txt", FORUM.encode(), "text/plain") for n in range(51)])
    at.button(key="add_extract").click()
    run(at)
    assert at.error[0].value == "51 files chosen; at most 50 at once. Upload them in parts."
    assert not at.dataframe


def test_a_file_over_the_size_limit_is_refused_with_a_message(store_path, monkeypatch):
    at = open_page(store_path, monkeypatch)
    big = b"a" * (24 * 2**20)
    at.file_uploader(key="add_files").set_value([("big.txt", big, "text/plain"),
                                                 ("visit.txt", VISIT.encode(), "text/plain")])
    at.button(key="add_extract").click()
    run(at)
    (problem,) = problems(at)
    assert problem.startswith("big.txt: 24.0 MB, over the limit of 20 MB per file")
    assert list(events_table(at)["Article"]) == ["visit"]


def test_the_uploader_accepts_only_article_file_types(store_path, monkeypatch):
    at = open_page(store_path, monkeypatch)
    assert set(at.file_uploader(key="add_files").allowed_type) >= {".txt", ".jsonl", ".csv",
                                                                    ".html"}


def test_without_a_store_the_add_page_builds_the_first_one(tmp_path, monkeypatch):
    path = tmp_path / "new.duckdb"
    at = run(app_on(path, monkeypatch))
    run(at.switch_page(PAGE))
    at.file_uploader(key="add_files").upload("visit.txt", VISIT.encode(), "text/plain")
    at.button(key="add_extract").click()
    run(at)
    at.button(key="add_store").click()
    run(at)
    assert stored_ids(path) == {"visit"}
