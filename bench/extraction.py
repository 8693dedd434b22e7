"""Extraction benchmark: speed against a bare normalize+tokenize pass, memory, and quality.

    .venv/bin/python bench/extraction.py [--corpus PATH] [--repeats 3] [--json OUT]

Speed: the whole pipeline (`analytics.pipeline.extract`) and a bare pass (normalize + tokenize,
the least any Arabic pipeline does) run over the same articles, alternately, `--repeats` times
in one process; we report medians and their ratio, since this machine is noisy. Parsing JSON is
inside both timings; reading the file is not (articles are decoded once up front).
Memory: peak RSS after 10%, 50% and 100% of a streamed extraction run (flat = streaming works).
Quality: ../shared/eval/score.py on the dev gold and on tests/gold/ant, when present.
Prints a table; writes JSON (default bench/results/extraction.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))

from analytics.model import Article
from analytics.pipeline import extract
from analytics.text.normalize import normalize
from analytics.text.tokens import tokenize


def article_of(obj: dict) -> Article:
    pub = obj.get("published")
    return Article(id=str(obj["id"]), text=obj.get("text") or "", title=obj.get("title"),
                   published=dt.date.fromisoformat(pub[:10]) if pub else None,
                   source=obj.get("source"), url=obj.get("url"))


def bare_pass(lines: list[str]) -> float:
    t = time.perf_counter()
    for line in lines:
        obj = json.loads(line)
        tokenize(normalize(obj.get("text") or "").text)
    return time.perf_counter() - t


def camel_bare_pass(lines: list[str]) -> float:
    """The same bare pass with camel-tools' own normalizers and word tokenizer, for reference:
    what a pipeline built directly on camel-tools starts from."""
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )
    t = time.perf_counter()
    for line in lines:
        text = json.loads(line).get("text") or ""
        text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(
            dediac_ar(normalize_unicode(text)))))
        simple_word_tokenize(text)
    return time.perf_counter() - t


def full_pass(lines: list[str]) -> float:
    t = time.perf_counter()
    for line in lines:
        extract(article_of(json.loads(line)))
    return time.perf_counter() - t


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_profile(path: Path) -> list[tuple[int, float]]:
    """Peak RSS while streaming the file through the extractor, at a few checkpoints."""
    total = sum(1 for _ in path.open(encoding="utf-8"))
    marks = {max(1, total // 10), total // 2, total}
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            extract(article_of(json.loads(line)))
            if n in marks:
                out.append((n, round(rss_mb(), 1)))
    return out


def quality(name: str, inputs_cmd: list[str], gold: Path) -> str | None:
    if not gold.is_dir() or not any(gold.glob("*.json")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        inp, pred = Path(tmp) / "in.jsonl", Path(tmp) / "pred.jsonl"
        made = subprocess.run(inputs_cmd, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            return f"{name}: inputs failed: {made.stderr.strip()[-200:]}"
        inp.write_text(made.stdout, encoding="utf-8")
        with pred.open("w", encoding="utf-8") as out:
            subprocess.run([str(REPO / ".venv/bin/analytics"), "extract", str(inp)], stdout=out,
                           stderr=subprocess.DEVNULL, check=False)
        scored = subprocess.run([sys.executable, str(SHARED / "eval/score.py"), str(pred),
                                 str(gold), "--texts", str(inp)], capture_output=True, text=True,
                                check=False)
        return scored.stdout.strip().splitlines()[-1] if scored.stdout.strip() else scored.stderr


def dateparser_pass(lines: list[str]) -> float | None:
    """dateparser's `search_dates` alone over the same articles, for reference: the tool a
    developer would otherwise reach for to find dates. None when dateparser is not installed
    (it is a dev dependency)."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    t = time.perf_counter()
    for line in lines:
        search_dates(json.loads(line).get("text") or "", languages=["ar"])
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus/ant-v1.1.jsonl")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path, default=REPO / "bench/results/extraction.json")
    ap.add_argument("--dateparser-articles", type=int, default=1000, metavar="N",
                    help="articles for the dateparser reference (it is slow; default 1000)")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"bench/extraction.py: no corpus at {args.corpus}; pass --corpus PATH "
              "(the ANT v1.1 JSONL of ../shared/corpus)", file=sys.stderr)
        return 2
    lines = [l for l in args.corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
    full_pass(lines[:200])  # load knowledge and warm caches outside the timings
    bare, camel, full = [], [], []
    # dateparser and the full pipeline over the same first N articles, alternately.
    sample = lines[:args.dateparser_articles]
    dateparser_pass(sample[:5])  # its imports and language data, outside the timings
    dparser, full_sample = [], []
    for _ in range(args.repeats):
        bare.append(bare_pass(lines))
        camel.append(camel_bare_pass(lines))
        full.append(full_pass(lines))
        if sample and (seconds := dateparser_pass(sample)) is not None:
            dparser.append(seconds)
            full_sample.append(full_pass(sample))
    n = len(lines)
    bare_med, full_med = statistics.median(bare), statistics.median(full)
    camel_med = statistics.median(camel)
    mem = memory_profile(args.corpus)
    dev = quality("dev", [sys.executable, str(SHARED / "eval/dev_inputs.py")], SHARED / "gold/dev")
    ant = quality("ant", [sys.executable, str(REPO / "tests/gold/ant_inputs.py")],
                  REPO / "tests/gold/ant")
    result = {
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "articles": n, "repeats": args.repeats,
        "bare_seconds": bare, "full_seconds": full,
        "bare_articles_per_s": round(n / bare_med, 1), "full_articles_per_s": round(n / full_med, 1),
        "ratio_full_to_bare": round(full_med / bare_med, 2),
        "camel_bare_seconds": camel, "camel_bare_articles_per_s": round(n / camel_med, 1),
        "ratio_full_to_camel_bare": round(full_med / camel_med, 2),
        "peak_rss_mb_at": mem, "quality_dev": dev, "quality_ant": ant,
    }
    if dparser:
        m = len(sample)
        dp_med, fs_med = statistics.median(dparser), statistics.median(full_sample)
        result |= {"dateparser_articles": m, "dateparser_seconds": dparser,
                   "dateparser_articles_per_s": round(m / dp_med, 1),
                   "full_seconds_same_articles": full_sample,
                   "speedup_full_over_dateparser": round(dp_med / fs_med, 2)}
    print(f"articles: {n} ({args.corpus.name}), medians of {args.repeats} alternating runs, one core")
    print(f"{'pass':<28}{'seconds':>10}{'articles/s':>14}")
    print(f"{'normalize+tokenize (bare)':<28}{bare_med:>10.2f}{n / bare_med:>14.0f}")
    print(f"{'camel-tools bare (ref.)':<28}{camel_med:>10.2f}{n / camel_med:>14.0f}")
    print(f"{'full extraction':<28}{full_med:>10.2f}{n / full_med:>14.0f}")
    if dparser:
        print(f"{'dateparser search_dates (ref.)':<28}{statistics.median(dparser):>10.2f}"
              f"{result['dateparser_articles_per_s']:>14.0f}   on the first {len(sample)} "
              f"articles; the full pipeline is {result['speedup_full_over_dateparser']}x "
              f"faster on them")
    print(f"ratio full/bare: {full_med / bare_med:.2f}x (bar: at most 5x); "
          f"full/camel-tools bare: {full_med / camel_med:.2f}x")
    print("peak RSS (MB) after N articles: " + ", ".join(f"{k}: {v}" for k, v in mem))
    print(f"quality dev:  {dev}")
    print(f"quality ant:  {ant}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"saved {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
