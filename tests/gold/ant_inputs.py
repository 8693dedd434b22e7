#!/usr/bin/env python3
"""Write the extractor input (JSONL) for the ANT gold set: one line per gold file in
tests/gold/ant/, with the article's id, title, text, published, source and url taken from the
ANT Corpus v1.1 JSONL (the article texts are not in this repository).

    python3 tests/gold/ant_inputs.py [CORPUS.jsonl] > /tmp/ant.jsonl
    analytics extract /tmp/ant.jsonl > /tmp/pred.jsonl
    python3 ../shared/eval/score.py /tmp/pred.jsonl tests/gold/ant --texts /tmp/ant.jsonl

CORPUS defaults to ../shared/corpus/ant-v1.1.jsonl beside the repository. Standard library only.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "ant"
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared/corpus/ant-v1.1.jsonl"
FIELDS = ("id", "title", "text", "published", "source", "url")


def main(argv: list[str]) -> None:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        sys.exit(__doc__)
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    if not corpus.is_file():
        sys.exit(f"ANT corpus not found at {corpus}: pass the path to ant-v1.1.jsonl "
                 "(ANT Corpus v1.1, see tests/gold/README.md)")
    want = {json.loads(p.read_text(encoding="utf-8"))["id"] for p in GOLD_DIR.glob("*.json")}
    if not want:
        sys.exit(f"no gold files in {GOLD_DIR}")
    out = sys.stdout
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            art = json.loads(line)
            if art.get("id") in want:
                want.discard(art["id"])
                out.write(json.dumps({k: art.get(k) for k in FIELDS}, ensure_ascii=False) + "\n")
    if want:
        sys.exit(f"gold files without an article in {corpus}: {sorted(want)}")


if __name__ == "__main__":
    main(sys.argv[1:])
