"""camel-tools' morphological analyzer, when the user has installed its data: word -> whether it
is a proper noun, and its lemma.

Input: Arabic words (clitics attached or not: "بباكو"). Output: `WordAnalysis` values from a
`ProperNounAnalyzer`, or None from `proper_noun_analyzer()` when no data is installed, which is
the default: the extractor then relies on its own grammar and knowledge base alone.

The data is found by its files, never by importing `camel_tools.data`: that module loads
`catalogue.json` when imported and downloads it when it is missing, and every camel_tools module
that reads data (camel_tools.morphology.*, camel_tools.ner, ...) imports it. So we look where
camel-tools looks (`$CAMELTOOLS_DATA`, else `~/.camel_tools`) for
- `catalogue.json`: without it importing camel_tools.morphology would go to the network, so the
  analyzer is not used;
- `data/morphology_db/<name>/morphology.db`, the layout `camel_data -i` installs; the default
  `calima-msa-r13` first, then other MSA databases, then any;
- `data/ner/<model>/config.json`, the NER model, which we report but do not run (it needs
  transformers and torch, which this project does not install).
Only when the catalogue and a database are both there is camel_tools.morphology imported, and
the database is opened by its path (`MorphologyDB(path)`), not through the catalogue.

`ANALYTICS_MORPHOLOGY=off` turns the analyzer off (to compare runs, or for speed);
`ANALYTICS_MORPHOLOGY=<name>` picks an installed database other than the default.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from camel_tools.utils.dediac import dediac_ar

SWITCH = "ANALYTICS_MORPHOLOGY"
PREFERRED_DBS = ("calima-msa-r13", "calima-msa-s31")
_OFF = frozenset({"off", "0", "no", "false", "none"})
_CACHE_WORDS = 200_000


def camel_data_dir() -> Path:
    """Where camel-tools keeps its data (the rule of camel_tools.data.catalogue)."""
    value = os.environ.get("CAMELTOOLS_DATA")
    if value is not None:
        return Path(value).expanduser().absolute()
    if sys.platform == "win32":
        return Path.home() / "AppData" / "Roaming" / "camel_tools"
    return Path.home() / ".camel_tools"


def _installed_dbs(data_dir: Path) -> list[tuple[str, Path]]:
    root = data_dir / "data" / "morphology_db"
    if not root.is_dir():
        return []
    found = [(d.name, d / "morphology.db") for d in root.iterdir()
             if (d / "morphology.db").is_file()]
    rank = {name: n for n, name in enumerate(PREFERRED_DBS)}
    return sorted(found, key=lambda f: (rank.get(f[0], len(rank)), "msa" not in f[0], f[0]))


def _installed_ner(data_dir: Path) -> Path | None:
    root = data_dir / "data" / "ner"
    if not root.is_dir():
        return None
    models = sorted(d for d in root.iterdir() if (d / "config.json").is_file())
    return models[0] if models else None


def morphology_status() -> dict[str, Any]:
    """What camel-tools data is installed and what of it the extractor uses, from the files
    alone (nothing is imported or opened). Keys: data_dir, catalogue (path or None),
    morphology_db (path or None), morphology_dataset (name or None), installed_dbs (names),
    active (bool: the analyzer will be used), reason (why, or why not), ner_model (path or
    None), ner_active (always False) and ner_reason."""
    data_dir = camel_data_dir()
    catalogue = data_dir / "catalogue.json"
    dbs = _installed_dbs(data_dir)
    switch = os.environ.get(SWITCH, "").strip()
    chosen: tuple[str, Path] | None = dbs[0] if dbs else None
    if switch and switch.lower() not in _OFF:
        chosen = next((d for d in dbs if d[0] == switch), None)

    if switch.lower() in _OFF and switch:
        active, reason = False, f"turned off by {SWITCH}={switch}"
    elif switch and chosen is None:
        active, reason = False, (f"{SWITCH}={switch} names no installed database (installed: "
                                 f"{', '.join(n for n, _ in dbs) or 'none'})")
    elif chosen is None:
        active, reason = False, (f"no morphology database under {data_dir / 'data'}; install "
                                 "one with `camel_data -i morphology-db-msa-r13`")
    elif not catalogue.is_file():
        active, reason = False, (f"no {catalogue} (camel-tools would download it when "
                                 "imported); reinstall the data with `camel_data -i ...`")
    else:
        active, reason = True, f"camel-tools analyzer over {chosen[1]}"

    ner = _installed_ner(data_dir)
    if ner is None:
        ner_reason = "no NER model installed"
    elif not (importlib.util.find_spec("transformers") and importlib.util.find_spec("torch")):
        ner_reason = "installed but not used: it needs transformers and torch"
    else:
        ner_reason = "installed but not used by this version of the extractor"
    return {
        "data_dir": str(data_dir),
        "catalogue": str(catalogue) if catalogue.is_file() else None,
        "morphology_db": str(chosen[1]) if chosen else None,
        "morphology_dataset": chosen[0] if chosen else None,
        "installed_dbs": [name for name, _ in dbs],
        "active": active,
        "reason": reason,
        "ner_model": str(ner) if ner else None,
        "ner_active": False,
        "ner_reason": ner_reason,
    }


@dataclass(frozen=True)
class WordAnalysis:
    word: str
    known: bool            # the database has an analysis of the word
    pos: str | None        # part of speech of the best analysis ("noun_prop", "noun", ...)
    lemma: str | None      # its lemma without diacritics ("باكو" for "بباكو")
    proper_noun: bool      # the best analysis is a proper noun


class ProperNounAnalyzer:
    """Proper-noun analyses and lemmas from camel-tools' analyzer. The best analysis of a word
    is the one the database scores most likely (`pos_lex_logprob`), the first on a tie: no
    disambiguation in context, so the answer for a word is the same in every article."""

    def __init__(self, analyzer: Any, db_path: str) -> None:
        self._analyzer = analyzer
        self.db_path = db_path
        self.analyze = lru_cache(maxsize=_CACHE_WORDS)(self._analyze)

    def _analyze(self, word: str) -> WordAnalysis:
        analyses = self._analyzer.analyze(word)
        if not analyses:
            return WordAnalysis(word, False, None, None, False)
        best = max(enumerate(analyses),
                   key=lambda ia: (_logprob(ia[1]), -ia[0]))[1]
        lex = best.get("lex")
        return WordAnalysis(word, True, best.get("pos"), dediac_ar(lex) if lex else None,
                            best.get("pos") == "noun_prop")

    def is_proper_noun(self, word: str) -> bool:
        return self.analyze(word).proper_noun

    def lemma(self, word: str) -> str | None:
        return self.analyze(word).lemma


def _logprob(analysis: dict) -> float:
    try:
        return float(analysis.get("pos_lex_logprob", -99.0))
    except (TypeError, ValueError):
        return -99.0


@lru_cache(maxsize=1)
def load_analyzer() -> tuple[ProperNounAnalyzer | None, str]:
    """The analyzer over the installed morphology database, loaded once, and what happened:
    (None, why) when no data is installed, it is turned off, or camel-tools cannot load it."""
    status = morphology_status()
    if not status["active"]:
        return None, status["reason"]
    try:
        # Safe to import now: catalogue.json is there, so camel_tools.data does not download.
        from camel_tools.morphology.analyzer import Analyzer
        from camel_tools.morphology.database import MorphologyDB
        db = MorphologyDB(status["morphology_db"], "a")
        analyzer = Analyzer(db, backoff="NONE")
    except Exception as exc:  # noqa: BLE001 - third-party data of any shape: report, go on
        return None, (f"camel-tools could not load {status['morphology_db']} "
                      f"({type(exc).__name__}: {exc}); reinstall it or set {SWITCH}=off")
    return ProperNounAnalyzer(analyzer, status["morphology_db"]), status["reason"]


def proper_noun_analyzer() -> ProperNounAnalyzer | None:
    """The analyzer when camel-tools data is installed and loads, else None (one instance per
    process; the environment is read on the first call)."""
    return load_analyzer()[0]
