"""Three short Arabic articles, written for these tests, and a store built from them through the
real pipeline: what the venue map, calendar and browser tests look at.

What the extractor reads in them (checked by the tests that use them): a forum held in Baku on
25 April 2016; an extraordinary summit in Istanbul on 13 December 2017 about Jerusalem (an
`event_about` place, not a venue); a ministerial meeting of the Arab League Council in Cairo on
9 December 2017 and the next one planned in Amman on 20 January 2018 (sessions: a council's
meetings). One title carries markup, which must never run.
Also the AppTest helpers the page tests share.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analytics.model import Article
from analytics.pipeline import extract
from analytics.store import Store

BAKU = Article(
    id="baku-2016-04-25", published=dt.date(2016, 4, 25), title="<script>alert(1)</script>",
    source="test", url="javascript:alert(1)",
    text="افتتح في العاصمة الأذربيجانية باكو اليوم المنتدى العالمي السابع لتحالف الحضارات "
         "بمشاركة الأمين العام للأمم المتحدة بان كي مون وأكثر من ألفي مشارك من 140 دولة. "
         "وناقش المنتدى في جلسته الأولى وضع مدينة القدس.")
ISTANBUL = Article(
    id="istanbul-2017-12-13", published=dt.date(2017, 12, 13), source="test",
    text="عقدت منظمة التعاون الإسلامي اليوم في إسطنبول قمة إسلامية استثنائية لبحث قرار "
         "الولايات المتحدة بشأن القدس، بمشاركة رؤساء دول وحكومات.")
CAIRO = Article(
    id="cairo-2017-12-09", published=dt.date(2017, 12, 9), source="test",
    text="عقد مجلس جامعة الدول العربية اجتماعا طارئا على المستوى الوزاري في القاهرة اليوم "
         "برئاسة وزير الخارجية الأردني أيمن الصفدي. ومن المقرر أن يعقد المجلس اجتماعا آخر في "
         "عمان يوم 20 يناير 2018.")
ARTICLES = (BAKU, ISTANBUL, CAIRO)

BAKU_LAT, BAKU_LON = 40.37767, 49.89201
APP = Path(__file__).resolve().parents[2] / "app.py"


def build_store(path: Path) -> Path:
    """A real store file holding the extractions of ARTICLES."""
    with Store.open(path) as store:
        store.ingest(extract(article) for article in ARTICLES)
    return path


def started_app(store_path: Path, monkeypatch) -> AppTest:
    """The dashboard under AppTest over the store at `store_path`, after its first run."""
    monkeypatch.setenv("ANALYTICS_DB", str(store_path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    return at


def run_page(at: AppTest, page: str) -> AppTest:
    """Switch to `page` (a file under app_pages/) and run it; it must raise nothing."""
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
