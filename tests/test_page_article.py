"""The article view under AppTest, on the hand-made store (tests/dashboard_stores.py): the text
with its entities, dates and evidence highlighted, the chosen event's evidence apart, links to
the events, and nothing from the data rendered as markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from analytics.charts.highlight import markdown_text
from dashboard_stores import BAKU_ID, BAKU_TEXT, BAKU_TITLE, baku_event_id, handmade_store
from page_checks import app_on, html_blocks, open_page, run


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return handmade_store(tmp_path_factory.mktemp("page_article") / "analytics.duckdb")


@pytest.fixture(scope="module")
def baku_event(store_path) -> str:
    return baku_event_id(store_path)


@pytest.fixture
def app(store_path, monkeypatch):
    return app_on(store_path, monkeypatch)


class Marks(HTMLParser):
    """The text inside each kind of mark, and the links, of the highlighted article."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[dict] = []
        self.marked: dict[str, list[str]] = {}
        self.links: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.add(attrs["href"])
        self.open.append({"tag": tag, **attrs})

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        self.text += data
        for element in self.open:
            if element["tag"] == "mark":
                self.marked.setdefault(element["class"], []).append(data)


def article_html(at) -> Marks:
    (body,) = [b for b in html_blocks(at, 'class="hl-text"') if "hl-legend" not in b]
    marks = Marks()
    marks.feed(body)
    return marks


def marked(page: Marks, kind: str) -> str:
    return "".join(page.marked.get(f"hl-{kind}", []))


def test_the_article_is_shown_whole_with_its_entities_and_dates_marked(app):
    at = open_page(app, "article.py", article=BAKU_ID)
    assert at.title[0].value == "Article"
    page = article_html(at)
    assert page.text == BAKU_TEXT
    assert marked(page, "organization") == "منظمة التعاون الإسلاميالأمم المتحدة"
    assert page.marked["hl-place"] == ["باكو", "أذربيجان", "مصر", "القدس"]
    assert "25 أبريل 2016" in marked(page, "date")
    assert marked(page, "evidence").startswith("باكو - شاركت")


def test_the_chosen_events_evidence_is_drawn_apart_and_each_evidence_links_to_its_event(
        app, baku_event):
    at = open_page(app, "article.py", article=BAKU_ID, event=baku_event)
    page = article_html(at)
    assert marked(page, "selected") == BAKU_TEXT[:BAKU_TEXT.index("\n")]
    assert marked(page, "evidence") == ""
    assert page.links == {f"./read?article={BAKU_ID}&event={baku_event}"}


def test_the_articles_events_are_listed_with_links_to_the_timeline(app, baku_event):
    at = open_page(app, "article.py", article=BAKU_ID, event=baku_event)
    assert "Events in this article" in [s.value for s in at.subheader]
    assert [t.value for t in at.text] == ["▶ 2016-04-25 · Meeting · Baku · 1 source"]
    (link,) = at.get("page_link")
    assert (link.proto.page, link.proto.query_string) == ("chronology", f"event={baku_event}")


def test_the_title_from_the_data_never_becomes_markup(app):
    at = open_page(app, "article.py", article=BAKU_ID)
    assert at.subheader[0].value == markdown_text(BAKU_TITLE)
    assert "\\!\\[p\\]\\(https\\:" in at.subheader[0].value  # an image no more
    assert not any("<script>" in m.value for m in at.markdown)


def test_without_an_article_in_the_url_the_newest_kept_one_is_shown_and_can_be_changed(app):
    at = open_page(app, "article.py")
    assert at.query_params["article"] == "league-2017-03-29"
    picker = next(s for s in at.selectbox if s.key.startswith("article_pick"))
    picker.set_value("oic-2016-04-21")
    run(at)
    assert at.query_params["article"] == "oic-2016-04-21"
    assert "اليوم" in marked(article_html(at), "date")


def test_the_choice_of_articles_follows_the_filters(app):
    run(app)
    app.multiselect(key="types").set_value(["summit"])
    at = run(app.switch_page("app_pages/article.py"))
    picker = next(s for s in at.selectbox if s.key.startswith("article_pick"))
    assert len(picker.options) == 1 and picker.options[0].startswith("2016-04-21 · ")
    assert at.query_params["article"] == "oic-2016-04-21"


def test_an_unknown_article_says_so(app):
    at = open_page(app, "article.py", article="no-such-article")
    assert [w.value for w in at.warning] == ["No article with id no-such-article."]


def test_in_arabic_the_text_is_right_to_left_and_the_legend_is_arabic(app):
    app.query_params["lang"] = "ar"
    at = open_page(app, "article.py", article=BAKU_ID)
    (body,) = [b for b in html_blocks(at, 'class="hl-text"') if "hl-legend" not in b]
    assert body.startswith('<div class="hl-text" dir="rtl">')
    (legend,) = html_blocks(at, 'class="hl-text hl-legend"')
    assert 'dir="rtl"' in legend and "شخص" in legend and "تاريخ" in legend


def test_the_evidence_links_keep_the_views_filters_and_language(app, baku_event):
    app.query_params.update({"lang": "ar", "type": "meeting"})
    at = open_page(app, "article.py", article=BAKU_ID)
    (link,) = article_html(at).links
    assert link.startswith(f"./read?article={BAKU_ID}&event={baku_event}&")
    assert "lang=ar" in link and "type=meeting" in link


def test_an_article_without_a_title_is_named_in_the_picker_by_its_first_words(app):
    at = open_page(app, "article.py")
    (picker,) = at.selectbox
    # league-2017-03-29 has no title; the other two have one (a missing title among present
    # ones reaches pandas as NaN, which used to show as "nan").
    assert not any("nan" in option for option in picker.options), picker.options
    assert "2017-03-29 · افتتح الأمين العام لجامعة الدول العربية في" in " ".join(picker.options)


def test_the_article_heading_without_a_title_is_its_first_words(app):
    at = open_page(app, "article.py", article="league-2017-03-29")
    assert at.subheader[0].value.startswith("افتتح الأمين العام")


def test_words_of_a_title_narrow_the_picker_to_the_articles_that_have_them(app):
    at = open_page(app, "article.py")
    at.text_input(key="article_search").set_value("خاليكوف")
    run(at)
    picker = next(s for s in at.selectbox if s.key.startswith("article_pick"))
    assert [o.split(" · ")[0] for o in picker.options] == ["2016-04-21"]
    assert at.query_params["article"] == "oic-2016-04-21"
    at.text_input(key="article_search").set_value("لا يوجد هذا")
    run(at)
    assert "No article under these filters has these words in its title." in [
        i.value for i in at.info]
