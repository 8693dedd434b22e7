"""Every page opened by its own URL, as a bookmark or a shared link does, in a real browser
(chromium): the page itself is drawn, with no "Page not found" dialog, and in Arabic it reads
right to left: its main area and title, its controls (no slider, whose minimum is always on the
left; horizontal choices starting on the right) and its heat maps (the colour bar clear of the
row names, which stand on the right).

Each check has a dashboard process of its own: Streamlit decides how to route the first script
run of a process apart from the later ones (a pages/ folder beside app.py made that first run a
legacy multipage app that knew no /map), so the first request must be the page's URL. The
processes are started together and the pages requested together (`first_views`).
"""

from __future__ import annotations

import pytest

from analytics.charts import labels
from e2e.conftest import wait_for_app
from served import in_thread, served, served_apart

pytestmark = pytest.mark.e2e

# url path -> the label of the page's title (app.py's st.navigation; the default page is /).
PAGES = {"": "page_overview", "events": "page_records", "upload": "page_add",
         "map": "page_venues", "chronology": "page_timeline", "participants":
         "page_participation", "read": "page_article", "agenda": "page_calendar",
         "correct": "page_review", "corrections-log": "page_audit"}

# What a page in Arabic must be: its main area right to left, and its title set against the
# right edge (a title text's right end close to the main block's right end).
READING = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = main.querySelector('[data-testid="stMainBlockContainer"]') || main;
  const title = main.querySelector('h1');
  const range = document.createRange();
  range.selectNodeContents(title);
  const text = range.getBoundingClientRect(), box = block.getBoundingClientRect();
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom
                             && b.top < a.bottom;
  // Controls that run left to right whatever the page's direction: sliders (their minimum is
  // always on the left), horizontal radios whose first choice is not on the right.
  const ltr = [...main.querySelectorAll('[data-testid="stSlider"]')].map(e => 'slider');
  for (const group of main.querySelectorAll('[role="radiogroup"]')) {
    const options = [...group.querySelectorAll('label')].map(l => l.getBoundingClientRect());
    if (options.length > 1 && options[0].top === options[1].top
        && options[0].left < options[1].left) ltr.push('radio');
  }
  // A heat map's colour bar over its row names (both on the right).
  for (const chart of main.querySelectorAll('.js-plotly-plot')) {
    for (const bar of chart.querySelectorAll('g.colorbar')) {
      const box = bar.getBoundingClientRect();
      if ([...chart.querySelectorAll('g.ytick text')].some(
          t => overlaps(t.getBoundingClientRect(), box))) ltr.push('colorbar over names');
    }
  }
  return {direction: getComputedStyle(main).direction, ltr,
          title_direction: getComputedStyle(title).direction,
          gap_right: Math.round(box.right - text.right),
          gap_left: Math.round(text.left - box.left)};
}"""


def settle_right_to_left(page) -> None:
    """Give the direction up to 10 s to arrive: it comes with the run's first elements, a few
    frames after the title may be drawn. A page that never turns fails the test's assertion."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("""() => getComputedStyle(document.querySelector(
            '[data-testid="stMain"]')).direction === 'rtl'""", timeout=10_000)
    except PlaywrightTimeout:
        pass


def open_directly(base: str, paths: list[str]) -> list[dict]:
    """Each path opened in a fresh browser context, one after the other: its title, dialogs,
    and how it reads."""
    return open_together([(base, path) for path in paths], together=False)


def open_together(urls: list[tuple[str, str]], *, together: bool = True) -> list[dict]:
    """Each (base, path) opened in a fresh browser context: all requested at once when
    `together` (their servers' first runs overlap), else each after the one before is read."""
    from playwright.sync_api import sync_playwright

    from e2e.conftest import CHROMIUM

    seen = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox"])
        try:
            opened = []
            for base, path in urls:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(base + path, wait_until="commit" if together else "load")
                opened.append((path, context, page))
                if not together:
                    seen.append(read(page, path, 30_000))
                    context.close()
            # Ten first runs share the machine's cores: each is given as long as all take.
            for path, context, page in opened if together else []:
                seen.append(read(page, path, 30_000 * len(urls)))
                context.close()
        finally:
            browser.close()
    return seen


def read(page, path: str, timeout: float) -> dict:
    """What a page opened at `path` shows, once it has drawn itself (within `timeout` ms)."""
    wait_for_app(page, timeout)
    page.wait_for_timeout(1000)  # a dialog comes with the script's messages
    if "lang=ar" in path:
        settle_right_to_left(page)
    return {"path": path,
            "title": page.locator('[data-testid="stMain"] h1').first.inner_text().strip(),
            "dialogs": page.locator('[role="dialog"]').all_inner_texts(),
            **page.evaluate(READING)}


@pytest.fixture(scope="module")
def first_views(chromium_path, e2e_store):
    """Each page as the first request of a server of its own: url path -> what it showed.
    The servers are started together and the pages requested together; no server is asked
    anything before its page."""
    with served_apart(e2e_store, len(PAGES)) as servers:
        seen = in_thread(open_together, [(base, f"/{path}") for path, (base, _)
                                         in zip(PAGES, servers, strict=True)])
    return {page["path"].lstrip("/"): page for page in seen}


@pytest.mark.parametrize("url_path", list(PAGES))
def test_a_page_opened_by_its_url_in_a_new_server_shows_itself_and_no_page_not_found(
        first_views, url_path):
    english = first_views[url_path]
    assert english["dialogs"] == [], english
    assert english["title"] == labels.text(PAGES[url_path], "en"), english


def test_every_page_in_arabic_reads_right_to_left_even_as_the_first_request_of_a_server(
        chromium_path, e2e_store):
    # Participation first: it is the page that was found left to right.
    order = ["participants", *(p for p in PAGES if p != "participants")]
    with served(e2e_store) as (base, _):
        seen = in_thread(open_directly, base, [f"/{p}?lang=ar" for p in order])
    for path, page in zip(order, seen, strict=True):
        assert page["dialogs"] == [], page
        assert page["title"] == labels.text(PAGES[path], "ar"), page
        assert (page["direction"], page["title_direction"]) == ("rtl", "rtl"), page
        assert page["gap_right"] < page["gap_left"], page  # the title sits on the right
        assert page["ltr"] == [], page
