"""Specification of the sample corpus in data/sample/articles.jsonl.

Input: the JSONL file (read with the standard json module, nothing from the project), and,
when present, the shared seed article and the real corpus beside the repository.
Output: pass/fail on the shape of every article and on the corpus being written anew
(no run of 12 words shared with the seed or with the real news corpus).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
ARTICLES = SAMPLE_DIR / "articles.jsonl"
README = SAMPLE_DIR / "README.md"
SHARED = Path(__file__).parents[1].parent / "shared"

FIELDS = {"id": str, "title": str, "published": str, "source": str, "url": str, "text": str}
SHINGLE = 12

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
# Harakat and tatweel are dropped before comparing, so that a vocalized copy still matches.
_MARKS = re.compile(r"[\u064B-\u0652\u0640]")
_WORD = re.compile(r"\w+")


def _load() -> list[dict]:
    rows = []
    with ARTICLES.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            assert line.strip(), f"blank line {number}"
            rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return _load()


def _words(text: str) -> list[str]:
    return _WORD.findall(_MARKS.sub("", text))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@pytest.fixture(scope="module")
def sample_shingles(articles) -> dict[tuple[str, ...], str]:
    found: dict[tuple[str, ...], str] = {}
    for a in articles:
        for s in _shingles(a["title"] + "\n" + a["text"]):
            found.setdefault(s, a["id"])
    return found


def test_file_is_utf8_jsonl_with_arabic_unescaped():
    raw = ARTICLES.read_bytes().decode("utf-8")
    assert "\\u06" not in raw  # written with ensure_ascii=False


def test_at_least_sixty_articles(articles):
    assert len(articles) >= 60


def test_ids_are_unique(articles):
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))


def test_every_field_present_with_its_type(articles):
    for a in articles:
        assert set(a) == set(FIELDS), a.get("id")
        for name, kind in FIELDS.items():
            assert isinstance(a[name], kind), (a["id"], name)
            assert a[name].strip(), (a["id"], name)


def test_published_is_an_iso_date_in_2015_to_2018(articles):
    for a in articles:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["published"]), a["id"]
        assert date(2015, 1, 1) <= date.fromisoformat(a["published"]) <= date(2018, 12, 31), a["id"]


def test_text_is_arabic_news_of_120_to_450_words(articles):
    for a in articles:
        text = a["text"]
        letters = [c for c in text if c.isalpha()]
        arabic = [c for c in letters if _ARABIC_LETTER.match(c)]
        assert len(arabic) > 0.9 * len(letters), a["id"]
        assert 120 <= len(text.split()) <= 450, (a["id"], len(text.split()))
        assert "\n\n" in text, a["id"]  # paragraphs separated by blank lines
        assert _ARABIC_LETTER.search(a["title"]), a["id"]


def test_urls_are_https_under_the_sample_domain(articles):
    for a in articles:
        assert a["url"].startswith("https://"), a["id"]
        assert re.fullmatch(r"https://sample\.analytics\.invalid/[a-z-]+/" + re.escape(a["id"]), a["url"])


def test_five_or_six_outlets_each_with_one_url_slug(articles):
    slugs: dict[str, set[str]] = {}
    for a in articles:
        slugs.setdefault(a["source"], set()).add(a["url"].split("/")[3])
    assert 5 <= len(slugs) <= 6
    assert all(len(s) == 1 for s in slugs.values()), slugs


def test_publication_dates_span_four_years(articles):
    assert {a["published"][:4] for a in articles} == {"2015", "2016", "2017", "2018"}


def test_readme_table_names_only_existing_articles(articles):
    ids = {a["id"] for a in articles}
    named = set(re.findall(r"sample-\d{3}", README.read_text(encoding="utf-8")))
    assert named, "README lists the multi-article events"
    assert named <= ids, named - ids


def test_the_gold_clusters_match_the_readme_table_and_name_real_articles(articles):
    """tests/gold/clusters/sample.jsonl (scored by tests/gold/clusters/score.py) is the
    README's table of events reported by several articles, one line per row. It lives under
    tests/, not here: every .jsonl under data/sample/ is read as articles."""
    ids = {a["id"] for a in articles}
    rows = [json.loads(line) for line in
            (ROOT / "tests" / "gold" / "clusters" / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    table = [line for line in README.read_text(encoding="utf-8").split(
        "## Events reported by several articles")[1].splitlines()
        if line.startswith("| ") and not line.startswith("| event")]
    assert len(rows) == len(table)
    for row in rows:
        assert row["articles"], row["event"]
        assert set(row["articles"]) | set(row["also"]) <= ids, row["event"]
        assert not set(row["articles"]) & set(row["also"]), row["event"]


def test_no_text_copied_from_the_seed(sample_shingles):
    seeds = sorted((SHARED / "seed").glob("*.txt")) if SHARED.is_dir() else []
    if not seeds:
        pytest.skip("shared/seed is absent (a fresh checkout)")
    for seed in seeds:
        shared = _shingles(seed.read_text(encoding="utf-8")) & sample_shingles.keys()
        assert not shared, (seed.name, [(" ".join(s), sample_shingles[s]) for s in list(shared)[:3]])


def test_no_line_of_the_real_corpus_shares_a_12_word_run(sample_shingles):
    corpus = SHARED / "corpus" / "ant-v1.1.jsonl"
    if not corpus.is_file():
        pytest.skip("shared/corpus is absent (a fresh checkout)")
    # Stream the corpus and look its shingles up in the sample's set (the small side).
    first_words = {s[0] for s in sample_shingles}
    hits = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            words = _words((record.get("title") or "") + "\n" + (record.get("text") or ""))
            for i in range(len(words) - SHINGLE + 1):
                if words[i] in first_words and tuple(words[i : i + SHINGLE]) in sample_shingles:
                    hits.append((record.get("id"), sample_shingles[tuple(words[i : i + SHINGLE])]))
                    break
    assert not hits, hits[:5]
