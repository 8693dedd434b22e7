"""Article text -> HTML with its entities, dates and event evidence highlighted.

Input: the article's original text and `Mark`s (character offsets into that very text, end
exclusive, as stored), a language code, and optionally the stretches of the text to show.
Output: one HTML string, safe to hand to `st.markdown(..., unsafe_allow_html=True)`: every
piece of text is escaped, every attribute value is escaped, and links are kept only when they
are http(s) URLs or the dashboard's own relative links ("./page?..."); anything else (a
`javascript:` URL, say) is dropped and the text stays plain.

Overlaps are handled by cutting the text at every mark boundary: each piece is wrapped in the
marks that cover it, outermost first (evidence, then dates, then entities), and every piece
closes what it opened, so the HTML stays well nested whatever the marks do (a date inside an
evidence sentence, two mentions that cross). A mark that spans several pieces keeps its class
and tooltip on each. A piece carries at most one link: the innermost mark's.

The text keeps its line breaks (`white-space: pre-wrap`) and its direction: `dir="rtl"` for
Arabic text (the page's own CSS does not reach every container) with `unicode-bidi: plaintext`
so that a paragraph in Latin letters still reads left to right.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

# Drawing order from the outside in; also the legend's order.
KINDS = ("evidence", "selected", "date", "place", "organization", "person")

# Colour-blind-safe pastel backgrounds (text stays readable on them), and an underline for the
# evidence of the selected event so that it shows through the entity colours.
STYLE = """<style>
.hl-text { white-space: pre-wrap; unicode-bidi: plaintext; text-align: start;
  line-height: 1.9; font-size: 1.05rem; }
.hl-text mark { color: inherit; padding: 0 1px; border-radius: 3px; }
.hl-text a { color: inherit; text-decoration: none; }
.hl-person { background: #cfe3f7; }
.hl-organization { background: #d9f0d3; }
.hl-place { background: #fde2c2; }
.hl-date { background: #ead7f2; }
.hl-evidence { background: #f6f3d0; }
.hl-selected { background: #fff0a8; border-bottom: 2px solid #b58900; }
.hl-legend mark { margin-inline-end: 0.6em; }
</style>"""

_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_INTERNAL_LINK = re.compile(r"\./[A-Za-z0-9_-]*(\?[^\s\"'<>]*)?")


@dataclass(frozen=True)
class Mark:
    """A highlighted stretch of the text: `text[start:end]`, what it is (one of KINDS), the
    tooltip to show, and where it links to (optional)."""
    start: int
    end: int
    kind: str
    tooltip: str = ""
    href: str | None = None


def safe_href(url: str | None) -> str | None:
    """`url` if it is an http(s) URL or a relative link to one of the dashboard's pages
    ("./read?article=..."); None otherwise (javascript:, data:, protocol-relative, ...)."""
    if not url:
        return None
    url = url.strip()
    if re.match(r"https?://[^\s/]", url, re.IGNORECASE) and not re.search(r"[\s<>\"']", url):
        return url
    if _INTERNAL_LINK.fullmatch(url):
        return url
    return None


def markdown_text(text: object) -> str:
    """`text` for a Streamlit element that reads Markdown (a subheader, a caption): every ASCII
    punctuation mark backslash-escaped and line breaks made spaces, so that a title from the
    data stays text: no link, no image fetched from outside, no `:red[...]` colour, emoji
    shortcode or `$...$` formula."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", flat)


def highlight(text: str, marks: Iterable[Mark], *, lang: str = "ar",
              ranges: Sequence[tuple[int, int]] | None = None) -> str:
    """The text (or only its `ranges`, joined by an ellipsis) as escaped HTML with the marks
    drawn. Marks outside the text, empty or of an unknown kind are ignored."""
    order = {kind: n for n, kind in enumerate(KINDS)}
    kept = sorted({m for m in marks if m.kind in order and 0 <= m.start < m.end <= len(text)},
                  key=lambda m: (order[m.kind], m.start, -m.end))
    shown = _clip(ranges, len(text)) if ranges is not None else [(0, len(text))]
    parts = [_render(text, kept, start, end) for start, end in shown]
    direction = "rtl" if lang == "ar" else "auto"
    return (f'<div class="hl-text" dir="{direction}">' + "<br>…<br>".join(parts) + "</div>")


def legend(labels: dict[str, str], lang: str = "ar") -> str:
    """A line of the kinds' colours with their (escaped) names: `labels` maps a kind to its
    display name; kinds not in it are left out."""
    items = "".join(f'<mark class="hl-{kind}">{html.escape(labels[kind])}</mark>'
                    for kind in KINDS if kind in labels)
    direction = "rtl" if lang == "ar" else "ltr"
    return f'<div class="hl-text hl-legend" dir="{direction}">{items}</div>'


def _clip(ranges: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Ranges inside the text, sorted, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in ranges):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, marks: list[Mark], start: int, end: int) -> str:
    """`text[start:end]` with the marks that touch it; `marks` in drawing order. One sweep over
    the cut points, keeping the marks open at each: near-linear in text and marks."""
    rank = {m: n for n, m in enumerate(marks)}
    opening: dict[int, list[Mark]] = {}
    closing: dict[int, list[Mark]] = {}
    for m in marks:
        if m.start < end and m.end > start:
            opening.setdefault(max(start, m.start), []).append(m)
            closing.setdefault(min(end, m.end), []).append(m)
    cuts = sorted({start, end, *opening, *closing})
    open_marks: set[Mark] = set()
    out: list[str] = []
    for left, right in pairwise(cuts):
        open_marks.difference_update(closing.get(left, ()))
        open_marks.update(opening.get(left, ()))
        covering = sorted(open_marks, key=rank.__getitem__)
        piece = html.escape(text[left:right])
        link = next((href for m in reversed(covering) if (href := safe_href(m.href))), None)
        if link is not None:
            # The dashboard's own links stay in its tab; outside pages open in a new one.
            target = ('target="_self"' if link.startswith("./")
                      else 'target="_blank" rel="noopener noreferrer"')
            piece = f'<a href="{html.escape(link)}" {target}>{piece}</a>'
        for m in reversed(covering):  # innermost first, so the outermost ends up outside
            title = f' title="{html.escape(m.tooltip)}"' if m.tooltip else ""
            piece = f'<mark class="hl-{m.kind}"{title}>{piece}</mark>'
        out.append(piece)
    return "".join(out)
