"""Pairwise scoring of cross-article event resolution against gold clusters.

    .venv/bin/python tests/gold/clusters/score.py              # both gold sets below
    .venv/bin/python tests/gold/clusters/score.py GOLD.jsonl --corpus ARTICLES.jsonl

Gold (one JSON object a line): `event` an id, `articles` the articles that report that real
event, `also` articles that only mention it (pairs with them are not scored), and free notes.
An article may report several gold events. Gold sets (see README.md beside this file):
ant.jsonl (ids of articles of ../shared/corpus/ant-v1.1.jsonl, judged by reading them; no text
is copied here) and sample.jsonl (the sample corpus's README table).

What is measured: the gold articles go through the real pipeline and a real store (ingested in
publication order, so resolution is incremental as in production). Two articles are joined when
some resolved event lists both as sources. Over the pairs of gold articles:
- same-event pairs: both in the `articles` of one gold event; `joined` = the share of them the
  store joined (recall);
- different-event pairs: every other pair, except pairs with an `also` article of an event the
  other reports; `wrongly merged` = how many the store joined, and their share.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))

from analytics.model import Article
from analytics.pipeline import extract
from analytics.store import Store

GOLD_SETS = [
    (REPO / "tests" / "gold" / "clusters" / "ant.jsonl", SHARED / "corpus" / "ant-v1.1.jsonl"),
    (REPO / "tests" / "gold" / "clusters" / "sample.jsonl",
     REPO / "data" / "sample" / "articles.jsonl"),
]

Pair = tuple[str, str]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_pairs(gold: list[dict]) -> tuple[set[str], set[Pair], set[Pair]]:
    """(gold articles, same-event pairs, pairs not scored)."""
    articles: set[str] = set()
    same: set[Pair] = set()
    unscored: set[Pair] = set()
    for g in gold:
        members = sorted(set(g["articles"]))
        also = sorted(set(g.get("also") or ()))
        articles.update(members)
        articles.update(also)
        same.update(itertools.combinations(members, 2))
        for a in also:
            for b in [*members, *also]:
                if a != b:
                    unscored.add(tuple(sorted((a, b))))
    return articles, same, unscored - same


def article_of(obj: dict) -> Article:
    published = obj.get("published")
    return Article(id=str(obj["id"]), text=obj.get("text") or "", title=obj.get("title"),
                   published=dt.date.fromisoformat(published[:10]) if published else None,
                   source=obj.get("source"), url=obj.get("url"))


def joined_pairs(articles: list[Article], tmp: Path) -> set[Pair]:
    """Pairs of articles the store resolves into one event at least once."""
    ordered = sorted(articles, key=lambda a: (a.published or dt.date.min, a.id))
    with Store.open(tmp / "clusters.duckdb") as store:
        store.ingest(extract(a) for a in ordered)
        rows = store.query("SELECT event_id, article_id FROM event_sources")
    by_event: dict[str, set[str]] = defaultdict(set)
    for event_id, article_id in rows.itertuples(index=False):
        by_event[event_id].add(article_id)
    pairs: set[Pair] = set()
    for members in by_event.values():
        pairs.update(itertools.combinations(sorted(members), 2))
    return pairs


def score(gold_path: Path, corpus_path: Path) -> dict:
    gold = read_jsonl(gold_path)
    wanted, same, unscored = gold_pairs(gold)
    found = {str(o["id"]): o for o in read_jsonl(corpus_path) if str(o["id"]) in wanted}
    missing = sorted(wanted - set(found))
    if missing:
        raise SystemExit(f"{gold_path}: {len(missing)} gold articles are not in {corpus_path} "
                         f"(first: {missing[0]}); check the corpus version")
    with tempfile.TemporaryDirectory() as tmp:
        joined = joined_pairs([article_of(o) for o in found.values()], Path(tmp))
    every = set(itertools.combinations(sorted(wanted), 2))
    different = every - same - unscored
    hit = same & joined
    wrong = different & joined
    return {
        "gold": str(gold_path.relative_to(REPO)), "events": len(gold),
        "articles": len(wanted), "same_event_pairs": len(same),
        "joined": len(hit), "joined_share": round(len(hit) / len(same), 3) if same else None,
        "different_event_pairs": len(different), "wrongly_merged": len(wrong),
        "wrongly_merged_share": round(len(wrong) / len(different), 4) if different else None,
        "precision": round(len(hit) / (len(hit) + len(wrong)), 3) if hit or wrong else None,
        "missed": sorted(same - joined), "wrong": sorted(wrong),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="?")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list missed and wrong pairs")
    args = parser.parse_args()
    sets = [(args.gold, args.corpus)] if args.gold else GOLD_SETS
    for gold_path, corpus_path in sets:
        if not corpus_path or not corpus_path.exists():
            print(f"{gold_path}: corpus {corpus_path} not found; skipped")
            continue
        r = score(gold_path.resolve(), corpus_path)
        print(f"{r['gold']}: {r['events']} events, {r['articles']} articles; same-event pairs "
              f"joined {r['joined']}/{r['same_event_pairs']} ({r['joined_share']}); "
              f"different-event pairs wrongly merged {r['wrongly_merged']}/"
              f"{r['different_event_pairs']} ({r['wrongly_merged_share']}); pair precision "
              f"{r['precision']}")
        if args.verbose:
            print("  missed:", r["missed"])
            print("  wrong:", r["wrong"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
