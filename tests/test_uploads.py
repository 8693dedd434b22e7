"""What the "Add articles" page accepts (analytics.ingest.uploads) and how its preview reads
(analytics.charts.preview): limits on type, size and count, the pasted text as an article, the
uploads read in order with a call per file for the progress bar; and the Streamlit server held
to the same size per file."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analytics.charts.preview import events_found
from analytics.errors import IngestError
from analytics.ingest import uploads
from analytics.model import Article
from analytics.pipeline import extract

ROOT = Path(__file__).resolve().parents[1]
FORUM = ("أعلنت منظمة التعاون الإسلامي أن المنتدى العالمي السابع لتحالف الحضارات سيعقد في باكو "
         "يومي 25 و26 أبريل الجاري بمشاركة 3000 شخص.")
VISIT = "استقبل وزير الخارجية المصري سامح شكري في القاهرة اليوم نظيره الأردني أيمن الصفدي."


@dataclass
class Upload:
    """An uploaded file as Streamlit's uploader gives it: a name, a size and the bytes."""
    name: str
    data: bytes
    size: int = -1

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.data)

    def getvalue(self) -> bytes:
        return self.data


def test_uploads_of_an_unknown_type_or_over_the_size_limit_are_refused_with_the_reason():
    good = Upload("forum.TXT", FORUM.encode())
    kept, refused = uploads.checked_uploads([
        Upload("tool.exe", b"MZ"), good, Upload("big.jsonl", b"{}", size=21 * 2**20),
        Upload("noext", b"x")])
    assert kept == [good]
    assert [(r.name, r.reason) for r in refused] == [("tool.exe", "type"), ("big.jsonl", "size"),
                                                      ("noext", "type")]
    assert round(refused[1].megabytes) == 21


def test_a_file_of_exactly_the_limit_is_kept():
    kept, _ = uploads.checked_uploads([Upload("a.csv", b"", size=uploads.MAX_MB * 2**20)])
    assert len(kept) == 1


def test_more_files_than_the_limit_are_too_many():
    assert not uploads.too_many([object()] * uploads.MAX_FILES)
    assert uploads.too_many([object()] * (uploads.MAX_FILES + 1))


def test_a_pasted_text_is_an_article_whose_id_comes_from_the_text():
    first = uploads.pasted_article(VISIT, dt.date(2017, 3, 1), " زيارة ", "وكالة الأنباء")
    again = uploads.pasted_article(VISIT, None)
    assert first.id == again.id and first.id.startswith("pasted-")
    assert (first.title, first.source, first.published) == ("زيارة", "وكالة الأنباء",
                                                             dt.date(2017, 3, 1))
    assert uploads.pasted_article(FORUM, None).id != first.id


def test_articles_to_add_reads_each_upload_then_the_pasted_text_reporting_progress():
    calls = []
    items = list(uploads.articles_to_add(
        [Upload("forum.txt", FORUM.encode()), Upload("empty.txt", b" ")], dt.date(2016, 4, 21),
        VISIT, on_file=lambda n, total, name: calls.append((n, total, name))))
    assert calls == [(1, 3, "forum.txt"), (2, 3, "empty.txt")]
    assert isinstance(items[0], Article) and items[0].id == "forum"
    assert isinstance(items[1], IngestError) and "empty.txt" in str(items[1])
    assert isinstance(items[2], Article) and items[2].text == VISIT


def test_a_blank_pasted_text_adds_nothing():
    assert list(uploads.articles_to_add([], None, "  \n ")) == []


def test_the_preview_names_events_in_the_pages_language():
    extraction = extract(Article("forum", FORUM, published=dt.date(2016, 4, 21)))
    english = events_found([extraction], "en")
    arabic = events_found([extraction], "ar")
    forum = english[english["type"] == "Forum"].iloc[0]
    assert (forum["venue"], forum["start_date"]) == ("Baku", dt.date(2016, 4, 25))
    assert "باكو" in set(arabic["venue"])
    assert list(english.columns) == list(arabic.columns) == [
        "article_id", "type", "name", "start_date", "end_date", "status", "venue", "actors",
        "participants"]


def test_the_preview_of_nothing_is_an_empty_table_with_its_columns():
    assert events_found([], "en").empty


def test_streamlit_refuses_a_file_over_the_pages_limit_itself():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == uploads.MAX_MB
