"""The package's data flows one way: ingest -> text -> knowledge -> synth -> extract -> pipeline
-> resolve -> store -> scale -> filters -> queries -> charts -> exports (then the pages, outside
the package).

These tests read the imports of every module under src/analytics (with ast, so code that is never
run is checked too) and hold them to DEVELOPERS.md: a module never imports a later stage; nothing
imports streamlit; only store/ imports duckdb; only the edges (ingest/, store/, scale/, cli/ and
the knowledge loaders) open files. A last test runs the default extraction path and checks what it
loaded.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analytics"

# The stages in the order data flows through them; a module may import its own stage and
# earlier ones. `output` is the contract's JSON of the pipeline's result, so it ranks with the
# pipeline; `synth` writes articles from the knowledge base (for benchmarks); `scale` runs the
# pipeline on Dask and loads its Parquet parts into the store; `exports` turns query results
# into downloads; `cli` and `__main__` drive everything and come last.
STAGES = ("ingest", "text", "knowledge", "synth", "extract", "pipeline", "resolve", "store",
          "scale", "filters", "queries", "charts", "exports", "cli")
RANK = {stage: n for n, stage in enumerate(STAGES)} | {"output": STAGES.index("pipeline"),
                                                       "__main__": len(STAGES)}
# The values passed between stages and the exception tree: every stage uses them.
SHARED = {"analytics", "analytics.model", "analytics.errors"}

FILE_OPENING_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}
# scale/ writes a run's Parquet parts and manifest, and reads byte ranges of large inputs.
MAY_OPEN_FILES = {"ingest", "store", "scale", "cli", "knowledge"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def stage_of(module: str) -> str | None:
    """`analytics.extract.events` -> `extract`; None for the package's shared modules."""
    if module in SHARED:
        return None
    return module.split(".")[1]


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def imported_modules(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, module name) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # `from analytics import queries` imports the module analytics.queries.
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names
                         if is_module(f"{base}.{alias.name}"))
    return found


ALL_MODULES = modules()
IDS = [name for name, _ in ALL_MODULES]


def test_every_stage_of_the_package_is_in_the_order():
    """A new top-level module or package must be given its place in the flow (here and in
    DEVELOPERS.md) before anything can say what it may import."""
    unplaced = sorted({stage_of(name) for name, _ in ALL_MODULES} - set(RANK) - {None})
    assert unplaced == []


@pytest.mark.parametrize("module, path", ALL_MODULES, ids=IDS)
def test_a_module_never_imports_a_later_stage(module, path):
    own = stage_of(module)
    later = [(line, name) for line, name in imported_modules(module, path)
             if name.startswith("analytics.") and name not in SHARED
             # the shared modules import nothing but each other
             and (own is None or RANK.get(stage_of(name), len(STAGES)) > RANK[own])]
    assert later == [], f"{path}: imports of later stages"


@pytest.mark.parametrize("module, path", ALL_MODULES, ids=IDS)
def test_nothing_in_the_package_imports_streamlit(module, path):
    assert [(line, name) for line, name in imported_modules(module, path)
            if name.split(".")[0] == "streamlit"] == []


@pytest.mark.parametrize("module, path", ALL_MODULES, ids=IDS)
def test_only_the_store_imports_duckdb(module, path):
    if stage_of(module) == "store":
        return
    assert [(line, name) for line, name in imported_modules(module, path)
            if name.split(".")[0] == "duckdb"] == []


@pytest.mark.parametrize("module, path", ALL_MODULES, ids=IDS)
def test_only_the_edges_open_files(module, path):
    if stage_of(module) in MAY_OPEN_FILES:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [(node.lineno, ast.unparse(node.func)) for node in ast.walk(tree)
             if isinstance(node, ast.Call)
             and (isinstance(node.func, ast.Name) and node.func.id in FILE_OPENING_CALLS
                  or isinstance(node.func, ast.Attribute)
                  and node.func.attr in FILE_OPENING_CALLS)]
    assert calls == [], f"{path}: files opened outside ingest/, store/, scale/, cli/ and knowledge/"


def test_the_checks_see_a_violation(tmp_path):
    """The import reader is not vacuous: it finds an absolute, a relative and a
    `from package import module` import of later stages."""
    fake = tmp_path / "analytics" / "text" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("import streamlit as st\nfrom ..store import writer\n"
                    "from analytics import queries\n", encoding="utf-8")
    names = [name for _, name in imported_modules("analytics.text.fake", fake)]
    assert "streamlit" in names
    assert "analytics.store" in names
    assert "analytics.queries" in names
    assert RANK[stage_of("analytics.queries")] > RANK[stage_of("analytics.text.fake")]


def test_extracting_loads_neither_camel_tools_data_nor_streamlit(tmp_path):
    """The default path (no camel-tools data installed) never imports camel_tools.data, which
    tries to download a catalogue, nor the modules that import it, nor streamlit, torch or
    transformers."""
    article = tmp_path / "a1.txt"
    article.write_text("عقد وزير الخارجية اجتماعا مع نظيره المصري في القاهرة اليوم.",
                       encoding="utf-8")
    check = (
        "import sys\n"
        "from analytics.cli import main\n"
        f"assert main(['extract', {str(article)!r}, '--published', '2016-04-21']) == 0\n"
        "banned = ('camel_tools.data', 'camel_tools.morphology', 'camel_tools.ner', "
        "'streamlit', 'torch', 'transformers')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(banned))\n"
        "assert loaded == [], loaded\n")
    no_data = tmp_path / "camel_tools_data"
    no_data.mkdir()
    env = {**os.environ, "CAMELTOOLS_DATA": str(no_data), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", check], check=False, capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"article"' in done.stdout
