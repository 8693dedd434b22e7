"""Titles, texts, names, ids and URLs from the data render inert everywhere.

A store is built through the real pipeline from articles whose every field carries an attack
(`<script>`, `<img onerror>`, an attribute break-out, `javascript:` URLs in several spellings,
Markdown links and remote images, a JavaScript template-literal escape, spreadsheet formulas).
Then every page of the dashboard runs under AppTest, in English and Arabic, and every element
it draws is checked by what the browser would do with it:

- HTML (markdown with `unsafe_allow_html`, the map component's generated page): no script,
  frame, object, embedding or remote-fetching element, no `on...` attribute, no link or source
  whose scheme is not http(s) (or a relative link of the dashboard's own pages), and none of the
  attacks verbatim in the map's JavaScript;
- Markdown without HTML (titles, captions, headings): no live link to anything but http(s), and
  no image at all (an image from the data would be fetched from outside);
- links (link buttons, page links, link columns of tables): http(s) or the dashboard's pages.

Exports: CSV and Excel cells that start a formula are neutralized; an iCalendar summary
cannot start a property of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.model import Article
from analytics.pipeline import extract
from analytics.store import Store
from served import browse_every_page, served

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
BREAK = '"><svg onload=alert(1)>'
JS = "javascript:alert(1)"
MARKDOWN = "[اضغط هنا](javascript:alert(1)) ![صورة](http://evil.example/p.png)"
TEMPLATE = "`${alert(1)}`"
# What must never reach the browser as it is written.
VERBATIM = ("<script>alert", "<img src=x onerror", "<svg onload", "${alert")

ARTICLES = (
    Article(id="inj-1", published=dt.date(2016, 5, 20), title=f"{SCRIPT} {MARKDOWN}", url=JS,
            source=IMG,
            text=f"افتتح وزير الثقافة في القاهرة اليوم معرض الكتاب الدولي {IMG} بمشاركة 300 "
                 f"دار نشر. {SCRIPT} وقال {MARKDOWN} إن المعرض {TEMPLATE} يستمر أسبوعا."),
    Article(id=f"inj-2{BREAK}", published=dt.date(2016, 5, 20), title=BREAK,
            url="https://example.org/a?x=<script>", source=TEMPLATE,
            text=f"عقد وزير الخارجية اجتماعا مع نظيره في الرباط يوم 23 مايو 2016 {BREAK} لبحث "
                 f"التعاون. {TEMPLATE}"),
    Article(id="inj-3", published=dt.date(2016, 4, 25), title='=HYPERLINK("http://evil.x","y")',
            url=" JaVaScRiPt:alert(1)", source="+cmd|' /C calc'!A0",
            text="افتتح في العاصمة الأذربيجانية باكو اليوم المنتدى العالمي السابع لتحالف الحضارات "
                 f"بمشاركة ألفي مشارك {SCRIPT}. ويلتقي الوفد غدا وزير الخارجية {IMG}."),
)

pytestmark = pytest.mark.skipif(not APP.exists(), reason="the dashboard is not there")


# ---------------------------------------------------------------- what a browser would run

_ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "form",
                "meta", "link", "svg", "math", "img", "image", "video", "audio", "source",
                "track", "input", "button", "textarea", "portal"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background",
                   "poster", "srcset", "data", "srcdoc", "ping"}
_SAFE_URL = re.compile(r"(https?://[^\s\"'<>]+|\./[^\s\"'<>]*|\?[^\s\"'<>]*|#[^\s\"'<>]*)",
                       re.IGNORECASE)


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        if tag in _ACTIVE_TAGS:
            self.problems.append(f"<{tag}> element")
        self._style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> handler")
            if name in _URL_ATTRIBUTES and not _SAFE_URL.fullmatch(
                    re.sub(r"[\x00-\x20]", "", value)):
                self.problems.append(f"<{tag} {name}={value!r}> link")
            if name == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.IGNORECASE):
                self.problems.append(f"<{tag} style={value!r}> fetch")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._style and re.search(r"url\s*\(|expression|alert", data, re.IGNORECASE):
            self.problems.append("data in a style sheet")

    def handle_endtag(self, tag):
        self._style = False


def html_problems(markup: str) -> list[str]:
    auditor = _Auditor()
    auditor.feed(markup)
    auditor.close()
    return auditor.problems


# An unescaped Markdown link or image: "[text](target)" with neither bracket escaped.
_MD_LINK = re.compile(r"(?<!\\)(!?)(?<!\\)\[(?:[^\]\\]|\\.)*(?<!\\)\]\(\s*<?([^)\s>]*)")


def markdown_problems(body: str) -> list[str]:
    problems = []
    for m in _MD_LINK.finditer(body):
        image, target = m.group(1), m.group(2)
        if image:
            problems.append(f"image {m.group(0)!r}")
        elif not _SAFE_URL.fullmatch(target):
            problems.append(f"link {m.group(0)!r}")
    return problems


def link_problems(url: str) -> list[str]:
    if not url or _SAFE_URL.fullmatch(url.strip()) or re.fullmatch(r"[\w/-]+", url):
        return []          # http(s), relative, or the name of one of the dashboard's pages
    return [f"link to {url!r}"]


def walk(node, out: list) -> list:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            walk(child, out)
    else:
        out.append(node)
    return out


def audit(at: AppTest) -> list[str]:
    """Everything on the page a browser would treat as markup, links or code, audited."""
    problems = []
    for el in walk(at._tree, []):
        proto, kind = getattr(el, "proto", None), getattr(el, "type", "")
        if proto is None:
            continue
        where = f"{kind}"
        if kind in ("markdown", "caption", "title", "header", "subheader", "divider"):
            body = getattr(proto, "body", "")
            if getattr(proto, "allow_html", False):
                problems += [f"{where}: {p}" for p in html_problems(body)]
                # Inside an HTML block Markdown is not read (CommonMark); after a blank line
                # a paragraph that does not open with a tag is Markdown again.
                body = "\n\n".join(chunk for chunk in re.split(r"\n[ \t]*\n", body)
                                   if not chunk.lstrip().startswith("<"))
            problems += [f"{where}: {p}" for p in markdown_problems(body)]
        elif kind == "html":
            problems += [f"html: {p}" for p in html_problems(proto.body)]
        elif kind == "component_instance":
            args = proto.json_args
            problems += [f"component: {v!r} verbatim" for v in VERBATIM if v in args]
            problems += [f"component: {v!r} verbatim" for v in VERBATIM
                         if v in json.dumps(json.loads(args or "{}"), ensure_ascii=False)]
        elif kind == "link_button":
            problems += [f"link_button: {p}" for p in link_problems(proto.url)]
        elif kind == "page_link":
            problems += [f"page_link: {p}" for p in link_problems(proto.page)]
        elif kind == "dataframe":
            config = json.loads(proto.columns or "{}")
            links = [c for c, v in config.items()
                     if (v.get("type_config") or {}).get("type") == "link"]
            frame = el.value
            for column in links:
                label = config[column].get("label") or column
                for name in (column, label):
                    if name in frame.columns:
                        for url in frame[name].dropna():
                            problems += [f"link column {name}: {p}"
                                         for p in link_problems(str(url))]
    return problems


# ---------------------------------------------------------------- the auditor itself

@pytest.mark.parametrize("markup", [
    SCRIPT, IMG, BREAK, f'<a href="{JS}">x</a>', '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<div style="background:url(http://evil.example/t.png)">x</div>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>', '<p onclick="x()">p</p>',
])
def test_the_html_audit_catches_what_a_browser_would_run(markup):
    assert html_problems(markup)


@pytest.mark.parametrize("markup", [
    "<b>نص</b> &lt;script&gt;alert(1)&lt;/script&gt;", '<a href="https://example.org/x">x</a>',
    '<a href="./read?article=inj-1">x</a>', '<span class="hl-place" title="&quot;&gt;">x</span>',
])
def test_the_html_audit_passes_escaped_text_and_http_links(markup):
    assert html_problems(markup) == []


def test_the_markdown_audit_catches_links_and_images_but_not_escaped_ones():
    assert markdown_problems(MARKDOWN) and markdown_problems("![x](https://example.org/a.png)")
    assert markdown_problems(r"\[x\]\(javascript:alert(1)\) and [y](https://example.org)") == []


# ---------------------------------------------------------------- the pages

@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("injection") / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest(extract(a) for a in ARTICLES)
    return path


def pages() -> list[str]:
    return sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", pages())
def test_every_page_renders_the_attacks_inert(hostile_store, monkeypatch, page, lang):
    monkeypatch.setenv("ANALYTICS_DB", str(hostile_store))
    at = AppTest.from_file(str(APP), default_timeout=120)
    if lang == "ar":
        at.query_params["lang"] = "ar"
    at.run()
    targets = [{}]
    if page == "article.py":
        targets = [{"article": a.id} for a in ARTICLES]
    problems = []
    for params in targets:
        at.query_params.update(params)
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, [e.value for e in at.exception]
        problems += [f"{page} {params}: {p}" for p in audit(at)]
    assert problems == []


def test_the_article_page_shows_the_attacks_as_text(hostile_store, monkeypatch):
    """Inert, not dropped: the reader still sees what the article says, escaped."""
    monkeypatch.setenv("ANALYTICS_DB", str(hostile_store))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.query_params["article"] = "inj-1"
    at.switch_page("app_pages/article.py").run()
    bodies = " ".join(getattr(el.proto, "body", "") for el in walk(at._tree, [])
                      if getattr(el, "type", "") == "markdown")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in bodies or \
        "&lt;script&gt;alert('x')&lt;/script&gt;" in bodies
    assert [el.proto.url for el in walk(at._tree, []) if getattr(el, "type", "") ==
            "link_button"] == []        # javascript: gives no "open the source" button


# ---------------------------------------------------------------- builders and exports

def test_the_venue_map_carries_no_attack_verbatim(hostile_store):
    from analytics.charts.maps import popup_html, venue_map
    from analytics.filters import Filters
    from analytics.queries.places import places_about, venues

    latest = [{"name": SCRIPT + TEMPLATE, "type": "meeting", "start_date": None,
               "title": IMG, "url": JS}]
    popup = popup_html(BREAK + TEMPLATE, 3, latest, "ar")
    assert html_problems(popup) == []
    assert not [v for v in VERBATIM if v in popup]
    with Store.open(hostile_store, read_only=True) as store:
        shown, about = venues(store, Filters()), places_about(store, Filters())
    assert len(shown)
    hostile = shown.assign(venue_name_ar=SCRIPT, venue_name_en=IMG + TEMPLATE)
    for lang in ("en", "ar"):
        rendered = venue_map(hostile, about, lang).get_root().render()
        assert not [v for v in VERBATIM if v in rendered]


def test_timeline_and_calendar_labels_are_escaped():
    from analytics.charts.calendar import calendar_events

    row = {"id": "e1", "type": "meeting", "name": f"{SCRIPT}<a href='{JS}'>x</a>",
           "venue_name_ar": IMG, "venue_name_en": IMG, "start_date": dt.date(2016, 5, 23),
           "end_date": None}
    [event] = calendar_events(pd.DataFrame([row]), "en")
    assert "<" not in event["title"] and "url" not in event


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+cmd", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://evil.x","y")', "＝1"])
def test_exported_cells_that_start_a_formula_are_neutralized(cell):
    from openpyxl import load_workbook

    from analytics.exports.tables import to_csv, to_xlsx

    df = pd.DataFrame({"name": [cell], "n": [1]})
    rows = list(csv.reader(io.StringIO(to_csv(df).decode("utf-8-sig"), newline="")))
    csv_cell = rows[1][rows[0].index("name")]
    assert csv_cell.startswith("'") and csv_cell[1:] == cell
    sheet = load_workbook(io.BytesIO(to_xlsx(df))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert f"'{cell}".replace("\r", "\n") in values     # XML reads a CR as a line feed
    assert all(not (isinstance(v, str) and v[:1] in "=+-@") for v in values)


def test_an_ics_summary_cannot_start_a_property_of_its_own():
    from analytics.exports.ics import events_to_ics

    df = pd.DataFrame([{"id": "e1", "type": "meeting",
                        "name": "اجتماع\r\nATTENDEE:mailto:evil@example.org\r\nX-INJ:1",
                        "start_date": dt.date(2016, 5, 23), "end_date": None,
                        "venue_name_ar": "القاهرة", "venue_name_en": "Cairo",
                        "status": "held"}])
    try:
        ics = events_to_ics(df, "en", stamp=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    except KeyError as exc:
        pytest.skip(f"events_to_ics wants other columns ({exc})")
    lines = ics.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert not [line for line in lines if line.startswith(("ATTENDEE", "X-INJ"))]


# ---------------------------------------------------------------- in a browser

def test_in_a_browser_no_attack_runs_or_fetches_on_any_page(hostile_store):
    """Every page in chromium (when the e2e browser is installed) over the hostile store: no
    script of the data runs (every attack calls alert(): no dialog opens), no image or request
    leaves loopback, and every link on the page, in its frames too (the map, the calendar), is
    http(s) or the dashboard's own."""
    problems: list[str] = []

    def links(page, path):
        page.wait_for_timeout(1000)            # popups, components, late scripts
        hrefs = []
        for frame in page.frames:
            hrefs += frame.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))")
        problems.extend(f"{path}: {p}" for h in hrefs for p in link_problems(h)
                        if not h.startswith(("#", "/", "chronology", "read")))

    extra = tuple(f"/read?article={quote(a.id)}" for a in ARTICLES)
    with served(hostile_store) as (base, _):
        browsed = browse_every_page(base, extra=extra, on_page=links)
    if browsed is None:
        pytest.skip("no chromium for the e2e tests (.ci/run installs it)")
    assert browsed.dialogs == []
    assert browsed.outbound == []
    assert problems == []
