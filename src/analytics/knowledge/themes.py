"""The theme taxonomy (themes.tsv): ids, Arabic and English labels, and keyword lookups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analytics.knowledge import read_tsv
from analytics.text.normalize import normalize_key

THEMES_FILE = "themes.tsv"


@dataclass(frozen=True)
class Theme:
    id: str
    label_ar: str
    label_en: str


@lru_cache(maxsize=1)
def themes() -> dict[str, Theme]:
    return {row["id"]: Theme(row["id"], row["label_ar"], row["label_en"])
            for row in read_tsv(THEMES_FILE, required=("id", "label_ar", "label_en", "keywords",
                                                      "source"))}


@lru_cache(maxsize=1)
def theme_keywords() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Keyword (as a tuple of normalized words) -> the themes it signals."""
    index: dict[tuple[str, ...], list[str]] = {}
    for row in read_tsv(THEMES_FILE, required=("id", "keywords")):
        for kw in row.list("keywords"):
            index.setdefault(tuple(normalize_key(kw).split()), []).append(row["id"])
    return {k: tuple(v) for k, v in index.items()}
