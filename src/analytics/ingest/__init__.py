"""Reading articles from files and standard input (placeholder: minimal JSONL/txt reader)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from analytics.errors import IngestError
from analytics.model import Article


def read_articles(inputs: list[str], published: dt.date | None = None
                  ) -> Iterator[Article | IngestError]:
    for name in inputs:
        if name == "-":
            lines = sys.stdin
        elif name.endswith(".txt"):
            p = Path(name)
            yield Article(id=p.stem, text=p.read_text(encoding="utf-8"), published=published)
            continue
        else:
            lines = open(name, encoding="utf-8")
        for n, line in enumerate(lines, 1):
            if line.strip():
                o = json.loads(line)
                pub = o.get("published")
                yield Article(id=str(o["id"]), text=o.get("text") or "", title=o.get("title"),
                              published=dt.date.fromisoformat(pub[:10]) if pub else None,
                              source=o.get("source"), url=o.get("url"))
