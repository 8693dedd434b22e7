"""An HTML page -> the article it carries: visible text, title and metadata.

Input: the decoded markup of a page. Output: `Page(title, text, published, url, source)`.
Scripts, styles and other non-text elements are dropped, character references decoded, block
elements (paragraphs, headings, list items, line breaks) become line breaks so that sentences
and paragraphs stay apart, and runs of spaces inside a block fold into one, as a browser shows
them. The title is the page's `<title>`; `published`, `url` and `source` come from the usual
meta tags (`article:published_time`, `<link rel="canonical">`, `og:site_name`) when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose content is not text a reader sees.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                   "canvas", "select", "button"})
# Elements that start a new line when rendered.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished",
                   "date", "dc.date", "dc.date.issued", "pubdate", "publishdate")
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")


@dataclass(frozen=True)
class Page:
    title: str | None
    text: str
    published: str | None      # the meta tag's value as written; the caller parses it
    url: str | None
    source: str | None


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0
        self._in_title = False
        self._in_head = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False          # pages that never close their <head>
        elif tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "link":
            a = {k.lower(): (v or "") for k, v in attrs}
            if "canonical" in a.get("rel", "").lower().split() and a.get("href"):
                self.canonical = a["href"].strip()
        if tag == "pre":
            self._pre_depth += 1
        if tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <meta/>, <link/>: no content, so no matching end tag to undo a skip.
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)
        if tag == "pre":
            self._pre_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "head":
            self._in_head = False
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title_parts.append(data)
        elif not self._in_head:
            self._line.append(data if self._pre_depth else _SPACES.sub(" ", data))

    def _break(self) -> None:
        line = "".join(self._line)
        self._line = []
        if self._pre_depth:
            self.lines.extend(line.strip("\n").split("\n") if line.strip() else [])
        elif line.strip():
            self.lines.append(line.strip())

    def close(self) -> None:
        super().close()
        self._break()


def html_to_text(markup: str) -> Page:
    """The article in a page: its visible text (one line per block) and metadata."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    title = _SPACES.sub(" ", "".join(collector.title_parts)).strip() or None
    meta = collector.meta
    published = next((meta[k] for k in _PUBLISHED_META if meta.get(k)), None)
    url = collector.canonical or meta.get("og:url") or None
    source = meta.get("og:site_name") or None
    return Page(title=title, text="\n".join(collector.lines), published=published, url=url,
                source=source)


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""",
                               re.IGNORECASE)


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (`<meta charset="windows-1256">` or the
    http-equiv form), else None."""
    m = _DECLARED_CHARSET.search(head[:4096])
    return m.group(1).decode("ascii") if m else None
