"""The camel-tools morphology path (analytics.text.morphology) and `analytics doctor`.

The tests install their own camel-tools "data": a tiny morphology database in camel-tools' text
format (a handful of words, among them the proper nouns باكو and خاليكوف) and a stub
catalogue.json, under a temporary CAMELTOOLS_DATA with a temporary HOME. Whatever imports
camel_tools.morphology (and so camel_tools.data) runs in a subprocess, so that nothing of it
leaks into this process, and with the network cut: sockets refuse to connect and the proxies
point to a closed port, and the subprocess reports every connection attempt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.text.morphology import morphology_status

# camel-tools' database text format (camel_tools/morphology/database.py): defines, defaults,
# feature order, tokenizations, backoffs, then prefixes, suffixes and stems (tab-separated:
# form, category, features) and the three compatibility tables. Stems are keyed by their
# normalized form (ة -> ه, أ -> ا), as the analyzer looks them up.
TINY_DB = """###DEFINES###
DEFINE pos pos:noun pos:noun_prop pos:digit pos:punc pos:latin pos:foreign
DEFINE diac diac:*open*
DEFINE lex lex:*open*
DEFINE bw bw:*open*
DEFINE gloss gloss:*open*
DEFINE prc1 prc1:0 prc1:bi_prep
DEFINE prc2 prc2:0 prc2:wa_conj
DEFINE pos_lex_logprob pos_lex_logprob:*open*
###DEFAULTS###
DEFAULT pos:noun diac:* lex:* bw:* gloss:* prc1:0 prc2:0
DEFAULT pos:noun_prop diac:* lex:* bw:* gloss:* prc1:0 prc2:0
DEFAULT pos:digit diac:* lex:* bw:* gloss:* prc1:0 prc2:0
DEFAULT pos:punc diac:* lex:* bw:* gloss:* prc1:0 prc2:0
DEFAULT pos:latin diac:* lex:* bw:* gloss:* prc1:0 prc2:0
###ORDER###
ORDER pos diac lex bw gloss prc1 prc2 pos_lex_logprob
###TOKENIZATIONS###
###STEMBACKOFF###
###PREFIXES###
\tPref-0\tdiac: bw: gloss: prc1:0 prc2:0
ب\tPref-b\tdiac:بِ bw:بِ/PREP gloss:in prc1:bi_prep
و\tPref-w\tdiac:وَ bw:وَ/CONJ gloss:and prc2:wa_conj
###SUFFIXES###
\tSuff-0\tdiac: bw: gloss:
###STEMS###
باكو\tN-prop\tdiac:باكُو lex:باكُو_1 pos:noun_prop bw:باكُو/NOUN_PROP gloss:Baku pos_lex_logprob:-4.5
خاليكوف\tN-prop\tdiac:خالِيكُوف lex:خالِيكُوف_1 pos:noun_prop bw:خالِيكُوف/NOUN_PROP gloss:Khalikov pos_lex_logprob:-6.0
مدينه\tN\tdiac:مَدِينَة lex:مَدِينَة_1 pos:noun bw:مَدِينَة/NOUN gloss:city pos_lex_logprob:-3.0
امل\tN\tdiac:أَمَل lex:أَمَل_1 pos:noun bw:أَمَل/NOUN gloss:hope pos_lex_logprob:-3.2
امل\tN-prop\tdiac:أَمَل lex:أَمَل_2 pos:noun_prop bw:أَمَل/NOUN_PROP gloss:Amal pos_lex_logprob:-5.1
###TABLE AB###
Pref-0 N
Pref-0 N-prop
Pref-b N
Pref-b N-prop
Pref-w N
Pref-w N-prop
###TABLE BC###
N Suff-0
N-prop Suff-0
###TABLE AC###
Pref-0 Suff-0
Pref-b Suff-0
Pref-w Suff-0
"""

# Runs first in every subprocess: no connection can be made, and each attempt is recorded
# (printed as the last line of standard output by REPORT_ATTEMPTS).
CUT_NETWORK = """
import json, socket, sys
attempts = []
def _refuse(*args, **kwargs):
    attempts.append(repr(args)[:80])
    raise OSError("network disabled by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""
REPORT_ATTEMPTS = "\nprint(json.dumps({'network_attempts': attempts}))\n"


def install_camel_data(root: Path, dbs: tuple[str, ...] = ("tiny-msa",), catalogue: bool = True,
                       ner: bool = False) -> Path:
    for name in dbs:
        folder = root / "data" / "morphology_db" / name
        folder.mkdir(parents=True)
        (folder / "morphology.db").write_text(TINY_DB, encoding="utf-8")
    if catalogue:
        datasets = {name: {"path": f"morphology_db/{name}"} for name in dbs}
        (root / "catalogue.json").write_text(json.dumps({
            "version": "1.6", "packages": {},
            "components": {"MorphologyDB": {"default": dbs[0] if dbs else "none",
                                            "datasets": datasets}}}), encoding="utf-8")
    if ner:
        model = root / "data" / "ner" / "arabert"
        model.mkdir(parents=True)
        (model / "config.json").write_text("{}", encoding="utf-8")
    return root


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean camel-tools environment: an empty data dir, a HOME of our own, dead proxies."""
    data = tmp_path / "camel_data"
    data.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    closed = "http://127.0.0.1:9"
    base = {k: v for k, v in os.environ.items() if k != "ANALYTICS_MORPHOLOGY"}
    return {**base, "CAMELTOOLS_DATA": str(data), "HOME": str(home), "HTTP_PROXY": closed,
            "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed,
            "ANALYTICS_DB": str(tmp_path / "store.duckdb")}


def run_python(code: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, dict]:
    """Run code in a fresh interpreter with the network cut; its output and the last line's
    record of connection attempts."""
    done = subprocess.run([sys.executable, "-c", CUT_NETWORK + code + REPORT_ATTEMPTS],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    out = done.stdout.strip().splitlines()
    return done, (json.loads(out[-1]) if out else {})


def run_offline(code: str, env: dict[str, str]) -> list[str]:
    """`run_python` that must succeed without a single connection attempt: its output lines
    (without the attempts record)."""
    done, net = run_python(code, env)
    assert done.returncode == 0, done.stderr
    assert net == {"network_attempts": []}
    return done.stdout.splitlines()[:-1]


def set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key in ("CAMELTOOLS_DATA", "HOME", "ANALYTICS_MORPHOLOGY"):
        if key in env:
            monkeypatch.setenv(key, env[key])
        else:
            monkeypatch.delenv(key, raising=False)


# ---------------------------------------------------------------- status, from files only

def test_without_data_nothing_is_active_and_the_reason_says_how_to_install(env, monkeypatch):
    set_env(monkeypatch, env)
    status = morphology_status()
    assert (status["active"], status["morphology_db"], status["catalogue"]) == (False, None,
                                                                                  None)
    assert "camel_data -i" in status["reason"]


def test_installed_data_is_found_where_cameltools_data_points(env, monkeypatch):
    root = install_camel_data(Path(env["CAMELTOOLS_DATA"]))
    set_env(monkeypatch, env)
    status = morphology_status()
    assert status["active"] is True
    assert status["morphology_db"] == str(root / "data/morphology_db/tiny-msa/morphology.db")
    assert status["catalogue"] == str(root / "catalogue.json")
    assert status["morphology_dataset"] == "tiny-msa"


def test_without_cameltools_data_the_default_is_the_home_directory(env, monkeypatch):
    install_camel_data(Path(env["HOME"]) / ".camel_tools")
    set_env(monkeypatch, {k: v for k, v in env.items() if k != "CAMELTOOLS_DATA"})
    status = morphology_status()
    assert status["data_dir"] == str(Path(env["HOME"]) / ".camel_tools")
    assert status["active"] is True


def test_a_database_without_its_catalogue_is_not_used(env, monkeypatch):
    """camel_tools.data would download a missing catalogue when imported."""
    install_camel_data(Path(env["CAMELTOOLS_DATA"]), catalogue=False)
    set_env(monkeypatch, env)
    status = morphology_status()
    assert status["active"] is False and status["morphology_db"] is not None
    assert "catalogue.json" in status["reason"] and "download" in status["reason"]


def test_the_default_msa_database_is_preferred_and_another_can_be_chosen(env, monkeypatch):
    install_camel_data(Path(env["CAMELTOOLS_DATA"]),
                       dbs=("calima-egy-r13", "calima-msa-r13", "calima-glf-01"))
    set_env(monkeypatch, env)
    status = morphology_status()
    assert status["morphology_dataset"] == "calima-msa-r13"
    assert status["installed_dbs"] == ["calima-msa-r13", "calima-egy-r13", "calima-glf-01"]
    monkeypatch.setenv("ANALYTICS_MORPHOLOGY", "calima-egy-r13")
    assert morphology_status()["morphology_dataset"] == "calima-egy-r13"


@pytest.mark.parametrize("switch, reason", [("off", "turned off"),
                                            ("calima-xyz", "names no installed database")])
def test_the_switch_turns_the_analyzer_off_or_names_a_missing_database(env, monkeypatch,
                                                                        switch, reason):
    install_camel_data(Path(env["CAMELTOOLS_DATA"]))
    set_env(monkeypatch, {**env, "ANALYTICS_MORPHOLOGY": switch})
    status = morphology_status()
    assert status["active"] is False and reason in status["reason"]


def test_an_installed_ner_model_is_reported_but_not_run(env, monkeypatch):
    root = install_camel_data(Path(env["CAMELTOOLS_DATA"]), ner=True)
    set_env(monkeypatch, env)
    status = morphology_status()
    assert status["ner_model"] == str(root / "data" / "ner" / "arabert")
    assert status["ner_active"] is False and "not used" in status["ner_reason"]


def test_reading_the_status_imports_no_camel_tools_data_module(env):
    install_camel_data(Path(env["CAMELTOOLS_DATA"]))
    out = run_offline(
        "from analytics.text.morphology import morphology_status\n"
        "assert morphology_status()['active']\n"
        "print(sorted(m for m in sys.modules if m.startswith(('camel_tools.data', "
        "'camel_tools.morphology', 'camel_tools.ner'))))\n", env)
    assert out == ["[]"]


# ---------------------------------------------------------------- the analyzer

ANALYZE = """
from analytics.text.morphology import proper_noun_analyzer
a = proper_noun_analyzer()
assert a is proper_noun_analyzer(), "one instance"
words = ["باكو", "بباكو", "وباكو", "خاليكوف", "مدينة", "أمل", "القاهرة"]
print(json.dumps({w: [a.is_proper_noun(w), a.lemma(w)] for w in words}, ensure_ascii=False))
"""


def test_with_data_installed_proper_nouns_and_lemmas_come_from_the_database(env):
    install_camel_data(Path(env["CAMELTOOLS_DATA"]))
    [out] = run_offline(ANALYZE, env)
    assert json.loads(out) == {
        "باكو": [True, "باكو"],
        "بباكو": [True, "باكو"],       # the preposition is a prefix of the analysis
        "وباكو": [True, "باكو"],
        "خاليكوف": [True, "خاليكوف"],
        "مدينة": [False, "مدينة"],     # a common noun; ة normalized for lookup, lemma as written
        "أمل": [False, "أمل"],         # hope (more likely) before Amal the name
        "القاهرة": [False, None],      # not in this tiny database
    }


@pytest.mark.parametrize("installed", ["nothing", "a database without its catalogue"])
def test_without_usable_data_there_is_no_analyzer_and_camel_tools_data_is_never_imported(
        env, installed):
    """A database without catalogue.json must not be loaded either: importing
    camel_tools.morphology would make camel_tools.data download the catalogue."""
    if installed != "nothing":
        install_camel_data(Path(env["CAMELTOOLS_DATA"]), catalogue=False)
    run_offline("from analytics.text.morphology import proper_noun_analyzer\n"
                "assert proper_noun_analyzer() is None\n"
                "assert not [m for m in sys.modules if m.startswith('camel_tools.data')]\n",
                env)


def test_a_database_camel_tools_cannot_parse_is_reported_not_raised(env):
    root = install_camel_data(Path(env["CAMELTOOLS_DATA"]))
    (root / "data/morphology_db/tiny-msa/morphology.db").write_text("###DEFINES###\nnonsense\n",
                                                                    encoding="utf-8")
    [why] = run_offline("from analytics.text.morphology import load_analyzer\n"
                        "analyzer, why = load_analyzer()\n"
                        "assert analyzer is None\n"
                        "print(why)\n", env)
    assert "could not load" in why and "ANALYTICS_MORPHOLOGY=off" in why


def test_the_network_cut_does_catch_a_camel_tools_download(env):
    """The guard of these tests works: importing camel_tools.data with no catalogue makes
    camel-tools try to download one, and the attempt is seen and refused."""
    done, net = run_python(
        "try:\n"
        "    import camel_tools.data\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n", env)
    assert done.returncode == 0, done.stderr
    assert net["network_attempts"] != []
    assert not (Path(env["CAMELTOOLS_DATA"]) / "catalogue.json").exists()


# ---------------------------------------------------------------- analytics doctor

DOCTOR = "from analytics.cli import main\ncode = main({args!r})\nprint(json.dumps({{'exit': code}}))"


def doctor(env: dict[str, str], *args: str, then: str = "") -> tuple[int, list[str]]:
    """`analytics doctor ARGS` in a subprocess without network: its exit status and output
    lines (and those of the code `then` runs after it)."""
    out = run_offline(DOCTOR.format(args=["doctor", *args]) + then, env)
    exit_line = next(n for n in range(len(out) - 1, -1, -1) if out[n].startswith('{"exit"'))
    return json.loads(out[exit_line])["exit"], out[:exit_line] + out[exit_line + 1:]


def test_doctor_says_what_is_installed_and_exits_0(env):
    done = subprocess.run([str(Path(sys.executable).parent / "analytics"), "doctor"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("analytics ")
    assert f"python {sys.version.split()[0]}" in out
    assert "camel-tools 1.6" in out
    assert "event_triggers.tsv:" in out and " rows" in out
    assert f"camel-tools data ({env['CAMELTOOLS_DATA']})" in out
    assert "morphology: not active" in out
    assert "NER model: none" in out
    assert f"store: {env['ANALYTICS_DB']} (not created yet)" in out


def test_doctor_lists_every_knowledge_file_with_its_row_count(env):
    from analytics.knowledge import DATA_DIR, read_tsv
    code, out = doctor(env, "--json")
    facts = json.loads("\n".join(out))
    assert code == 0
    assert {f["file"]: f["rows"] for f in facts["knowledge"]["files"]} == {
        p.name: sum(1 for _ in read_tsv(p.name)) for p in DATA_DIR.glob("*.tsv")}


def test_doctor_without_data_imports_no_camel_tools_data_module(env):
    code, out = doctor(env, then="\nprint(sorted(m for m in sys.modules if m.startswith("
                                 "('camel_tools.data', 'camel_tools.morphology'))))")
    assert (code, out[-1]) == (0, "[]")


def test_doctor_load_reports_the_active_database_and_analyzes_a_proper_noun(env):
    root = install_camel_data(Path(env["CAMELTOOLS_DATA"]), ner=True)
    code, out = doctor(env, "--json", "--load")
    assert code == 0
    camel = json.loads("\n".join(out))["camel_tools"]
    assert camel["active"] is True and camel["loaded"] is True
    assert camel["morphology_db"] == str(root / "data/morphology_db/tiny-msa/morphology.db")
    assert camel["probe"] == {"word": "باكو", "known": True, "pos": "noun_prop",
                              "lemma": "باكو"}
    assert camel["ner_model"] == str(root / "data/ner/arabert") and not camel["ner_active"]


def test_doctor_load_fails_when_the_database_does_not_load(env):
    root = install_camel_data(Path(env["CAMELTOOLS_DATA"]))
    (root / "data/morphology_db/tiny-msa/morphology.db").write_text("garbage\n",
                                                                    encoding="utf-8")
    code, out = doctor(env, "--load")
    text = "\n".join(out)
    assert code == 1
    assert "morphology: not active" in text and "could not load" in text
