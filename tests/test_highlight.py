"""The article view's highlighter: offsets into the original text become marked, escaped HTML.

The HTML is read back with the standard library's parser, so the tests check what a browser
would see (which text is inside which mark, which links exist), not the exact markup.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.charts.highlight import Mark, highlight, legend, markdown_text, safe_href

TEXT = "اجتمع وزير الخارجية في القاهرة يوم 5 مايو 2016 مع الأمين العام للجامعة العربية."


def at(text: str, surface: str, kind: str, **kw) -> Mark:
    start = text.index(surface)
    return Mark(start, start + len(surface), kind, **kw)


class Reader(HTMLParser):
    """Collects the text, the text inside each mark class, the links and every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[tuple[str, dict]] = []
        self.marked: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.attrs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))
        if tag != "br":
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1][0] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)
        for tag, attrs in self.open:
            if tag == "mark":
                kind = attrs["class"].removeprefix("hl-")
                self.marked[kind] = self.marked.get(kind, "") + data
            if tag == "a":
                self.links.append((attrs["href"], data))


def read(html_text: str) -> Reader:
    reader = Reader()
    reader.feed(html_text)
    reader.close()
    assert not reader.open, "every tag is closed"
    return reader


def test_the_text_comes_back_whole_and_each_mark_covers_its_own_offsets():
    marks = [at(TEXT, "القاهرة", "place"), at(TEXT, "5 مايو 2016", "date"),
             at(TEXT, "وزير الخارجية", "person"), at(TEXT, "جامعة العربية", "organization")]
    page = read(highlight(TEXT, marks))
    assert "".join(page.text) == TEXT
    assert page.marked == {"place": "القاهرة", "date": "5 مايو 2016",
                           "person": "وزير الخارجية", "organization": "جامعة العربية"}


def test_entities_inside_an_evidence_sentence_are_marked_inside_it():
    marks = [Mark(0, len(TEXT), "evidence"), at(TEXT, "القاهرة", "place")]
    html_text = highlight(TEXT, marks)
    page = read(html_text)
    assert page.marked["evidence"] == TEXT
    assert page.marked["place"] == "القاهرة"
    # evidence is drawn outside the entity, never the other way round
    assert '<mark class="hl-evidence"><mark class="hl-place"' in html_text


def test_crossing_marks_stay_well_nested_and_keep_their_text():
    # "الخارجية في" (organization) crosses "في القاهرة" (place) on "في"
    marks = [at(TEXT, "الخارجية في", "organization"), at(TEXT, "في القاهرة", "place")]
    page = read(highlight(TEXT, marks))  # read() fails on a misnested tag
    assert page.marked == {"organization": "الخارجية في", "place": "في القاهرة"}
    assert "".join(page.text) == TEXT


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "</mark></div><script>x()</script>",
    "&lt;already escaped&gt; & \"quotes\" 'single'",
])
def test_text_and_tooltips_from_the_data_are_escaped(hostile):
    text = f"قال {hostile} في القاهرة"
    marks = [at(text, hostile, "person", tooltip=hostile), at(text, "القاهرة", "place")]
    html_text = highlight(text, marks)
    page = read(html_text)
    assert set(page.tags) <= {"div", "mark", "br", "a"}
    assert "".join(page.text) == text
    assert page.marked["person"] == hostile
    assert hostile in {a.get("title") for a in page.attrs}


@pytest.mark.parametrize("url, kept", [
    ("https://www.oic-oci.org/news/?x=1&y=2", True),
    ("http://example.org", True),
    ("./read?article=oic-1&event=ev-2", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("data:text/html,<script>", False),
    ("//evil.example/x", False),
    ("/etc/passwd", False),
    ('https://x.org/" onmouseover="alert(1)', False),
    ("", False),
    (None, False),
])
def test_only_http_urls_and_the_dashboards_own_pages_are_linked(url, kept):
    assert (safe_href(url) is not None) == kept
    page = read(highlight(TEXT, [at(TEXT, "القاهرة", "place", href=url)]))
    assert [href for href, _ in page.links] == ([url.strip()] if kept else [])
    assert page.marked["place"] == "القاهرة"


def test_links_to_the_dashboard_stay_in_its_tab_and_others_open_a_new_one():
    marks = [at(TEXT, "القاهرة", "place", href="https://geonames.org/360630"),
             at(TEXT, "5 مايو 2016", "date", href="./chronology?event=ev-1")]
    page = read(highlight(TEXT, marks))
    targets = {a["href"]: a.get("target") for a in page.attrs if "href" in a}
    assert targets == {"https://geonames.org/360630": "_blank",
                       "./chronology?event=ev-1": "_self"}


def test_only_the_requested_ranges_are_shown_and_marks_in_them_are_kept():
    first = TEXT.index("القاهرة")
    second = TEXT.index("الأمين")
    page = read(highlight(TEXT, [at(TEXT, "القاهرة", "place")],
                          ranges=[(second, len(TEXT)), (first, first + len("القاهرة"))]))
    assert page.text == ["القاهرة", "…", TEXT[second:]]
    assert page.marked == {"place": "القاهرة"}


@pytest.mark.parametrize("mark", [
    Mark(5, 5, "place"),                # empty
    Mark(-1, 3, "place"),               # before the text
    Mark(0, len(TEXT) + 1, "place"),    # past its end
    Mark(0, 5, "weapon"),               # an unknown kind
])
def test_marks_that_do_not_fit_the_text_are_ignored(mark):
    page = read(highlight(TEXT, [mark]))
    assert page.marked == {} and "".join(page.text) == TEXT


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("en", "auto")])
def test_arabic_text_is_right_to_left_in_its_own_container(lang, direction):
    page = read(highlight(TEXT, [], lang=lang))
    assert page.attrs[0] == {"class": "hl-text", "dir": direction}


def test_the_legend_names_each_kind_in_its_colour_and_escapes_the_names():
    page = read(legend({"person": "أشخاص", "date": "<b>dates</b>"}, "ar"))
    assert page.marked == {"date": "<b>dates</b>", "person": "أشخاص"}


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60),
       spans=st.lists(st.tuples(st.integers(-2, 62), st.integers(-2, 62),
                                st.sampled_from(["person", "place", "date", "evidence"])),
                      max_size=8))
def test_any_text_with_any_marks_gives_well_formed_html_holding_exactly_the_text(text, spans):
    marks = [Mark(s, e, kind) for s, e, kind in spans]
    page = read(highlight(text, marks))
    assert "".join(page.text) == text


@pytest.mark.parametrize("text, shown", [
    ("![p](https://evil.example/p.png)", r"\!\[p\]\(https\:\/\/evil\.example\/p\.png\)"),
    ("[اضغط](javascript:alert(1))", r"\[اضغط\]\(javascript\:alert\(1\)\)"),
    (":red[خطر] $x$ **bold** <b>", r"\:red\[خطر\] \$x\$ \*\*bold\*\* \<b\>"),
    ("# عنوان\n\n- بند", r"\# عنوان \- بند"),
    ("وكالة الأنباء · 2016-04-21", r"وكالة الأنباء · 2016\-04\-21"),
])
def test_text_for_markdown_elements_has_every_markup_character_escaped(text, shown):
    assert markdown_text(text) == shown
