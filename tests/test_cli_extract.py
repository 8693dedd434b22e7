"""`analytics extract` as users and the quality benchmarks run it: the real console script in a
subprocess, its standard output parsed as the contract's JSON lines
(../shared/eval/contract.md), its standard error and exit status checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent
SCRIPT = VENV_BIN / "analytics"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ant-v1.1.jsonl"

MEETING = "عقد وزير الخارجية اجتماعا مع نظيره المصري في القاهرة اليوم."
FAIR = "افتتح وزير الثقافة معرض الكتاب الدولي في تونس أمس، بمشاركة 300 دار نشر."
# Diacritics, tatweel and a bidi mark before the date: offsets must index this text as given.
DECORATED = "وتُعقَد النـــدوة \u200fغداً في الرباط."


def extract(*args: str, stdin: str | bytes | None = None, env: dict | None = None,
            command: list[str] | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run([*(command or [str(SCRIPT)]), "extract", *args], input=data,
                          capture_output=True, timeout=300, check=False,
                          env={**os.environ, **(env or {})})


def lines(done: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


def stderr(done: subprocess.CompletedProcess) -> str:
    return done.stderr.decode("utf-8")


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    (tmp_path / "a1.txt").write_text(MEETING, encoding="utf-8")
    (tmp_path / "news.jsonl").write_text(jsonl({"id": "j1", "text": FAIR},
                                               {"id": "j2", "text": DECORATED,
                                                "published": "2016-04-21T09:00:00+01:00"}),
                                         encoding="utf-8")
    (tmp_path / "news.csv").write_text(f'id,text\nc1,"{MEETING}"\n', encoding="utf-8")
    return tmp_path


def test_one_json_object_per_article_in_input_order(articles):
    done = extract(str(articles / "news.csv"), str(articles / "a1.txt"),
                   str(articles / "news.jsonl"))
    assert done.returncode == 0, stderr(done)
    assert [o["article"]["id"] for o in lines(done)] == ["c1", "a1", "j1", "j2"]
    assert stderr(done) == ""


def test_every_output_line_has_the_contract_fields(articles):
    for o in lines(extract(str(articles))):
        assert set(o) >= {"article", "events", "entities"}
        assert set(o["article"]) >= {"id", "title", "published", "source", "url"}
        for e in o["events"]:
            assert set(e) >= {"type", "name", "start", "end", "status", "venue",
                              "participants", "actors", "themes", "evidence", "confidence"}


def test_offsets_index_the_text_as_given(articles):
    """Entities and dates carry their surface text; evidence spans lie inside the article."""
    texts = {"a1": MEETING, "j1": FAIR, "j2": DECORATED, "c1": MEETING}
    checked = 0
    for o in lines(extract(str(articles))):
        text = texts[o["article"]["id"]]
        for m in o["entities"] + o.get("dates", []):
            assert text[m["start"]:m["end"]] == m["text"]
            checked += 1
        for e in o["events"]:
            for span in e["evidence"]:
                assert 0 <= span["start"] < span["end"] <= len(text)
    assert checked > 0


def test_arabic_is_written_as_utf8_not_escaped_whatever_the_locale(articles):
    done = extract(str(articles / "a1.txt"),
                   env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0, stderr(done)
    out = done.stdout.decode("utf-8")
    assert "\\u06" not in out
    assert '"text": "اليوم"' in out


def test_the_publication_date_of_a_txt_file_comes_from_the_option(articles):
    [o] = lines(extract(str(articles / "a1.txt"), "--published", "2016-04-21"))
    assert o["article"]["published"] == "2016-04-21"


def test_relative_dates_resolve_against_the_publication_date(articles):
    [o] = lines(extract(str(articles / "a1.txt"), "--published", "2016-04-21"))
    today = [d for d in o["dates"] if d["text"] == "اليوم"]
    assert [(d["first"], d["last"]) for d in today] == [("2016-04-21", "2016-04-21")]


def test_without_a_publication_date_relative_dates_stay_null(articles):
    """Never guessed from the clock: no date anywhere in the output."""
    done = extract(str(articles / "a1.txt"), str(articles / "news.jsonl"))
    by_id = {o["article"]["id"]: o for o in lines(done)}
    for article_id in ("a1", "j1"):
        o = by_id[article_id]
        assert o["article"]["published"] is None
        assert o["dates"], "the relative dates are still found"
        assert [(d["first"], d["last"]) for d in o["dates"]] == [(None, None)] * len(o["dates"])
        assert [(e["start"], e["end"]) for e in o["events"]] == [(None, None)] * len(o["events"])


def test_a_datetime_published_dates_its_article_by_its_own_day(articles):
    by_id = {o["article"]["id"]: o for o in lines(extract(str(articles / "news.jsonl")))}
    assert by_id["j2"]["article"]["published"] == "2016-04-21"
    tomorrow = [d for d in by_id["j2"]["dates"] if "غد" in d["text"]]
    assert [d["first"] for d in tomorrow] == ["2016-04-22"]


def test_jsonl_on_standard_input_with_dash_and_by_default():
    data = jsonl({"id": "s1", "text": MEETING}, {"id": "s2", "text": FAIR})
    for args in (["-"], []):
        done = extract(*args, stdin=data)
        assert done.returncode == 0, stderr(done)
        assert [o["article"]["id"] for o in lines(done)] == ["s1", "s2"]


def test_a_directory_gives_its_articles_in_sorted_order(articles):
    done = extract(str(articles), "--published", "2016-04-21")
    assert done.returncode == 0, stderr(done)
    assert [o["article"]["id"] for o in lines(done)] == ["a1", "c1", "j1", "j2"]


def test_a_bad_article_is_one_line_on_stderr_and_the_run_goes_on_with_exit_status_1(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(jsonl({"id": "ok1", "text": MEETING}, {"id": "empty", "text": "  "})
                    + "{broken\n" + jsonl({"id": "ok2", "text": FAIR}), encoding="utf-8")
    done = extract(str(path))
    assert done.returncode == 1
    assert [o["article"]["id"] for o in lines(done)] == ["ok1", "ok2"]
    err = stderr(done)
    assert "Traceback" not in err
    assert f"{path}:2, article 'empty': has no text" in err
    assert f"{path}:3: not valid JSON" in err
    assert "2 article(s) failed" in err


def test_an_undecodable_txt_file_is_reported_with_its_name(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Réunion à Genève".encode("latin-1"))
    (tmp_path / "ok.txt").write_text(MEETING, encoding="utf-8")
    done = extract(str(tmp_path / "latin.txt"), str(tmp_path / "ok.txt"))
    assert done.returncode == 1
    assert [o["article"]["id"] for o in lines(done)] == ["ok"]
    assert "latin.txt, article 'latin': not text in UTF-8" in stderr(done)
    assert "Traceback" not in stderr(done)


def test_a_windows_1256_file_is_extracted_like_its_utf8_twin(tmp_path):
    (tmp_path / "a.txt").write_bytes(MEETING.encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(MEETING.encode("utf-8"))
    a, b = lines(extract(str(tmp_path / "a.txt"), str(tmp_path / "b.txt")))
    assert {k: v for k, v in a.items() if k != "article"} == \
        {k: v for k, v in b.items() if k != "article"}


def test_a_missing_input_is_reported_and_the_others_are_read(tmp_path):
    (tmp_path / "ok.txt").write_text(MEETING, encoding="utf-8")
    done = extract(str(tmp_path / "nope.txt"), str(tmp_path / "ok.txt"))
    assert done.returncode == 1
    assert [o["article"]["id"] for o in lines(done)] == ["ok"]
    assert "nope.txt: no such file or directory" in stderr(done)


def test_exit_status_is_zero_iff_no_article_failed(tmp_path):
    (tmp_path / "ok.txt").write_text(MEETING, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert extract(str(tmp_path / "ok.txt")).returncode == 0
    assert extract(str(tmp_path / "ok.txt"), str(tmp_path / "empty.txt")).returncode == 1


def test_a_bad_published_option_is_a_usage_error(tmp_path):
    (tmp_path / "ok.txt").write_text(MEETING, encoding="utf-8")
    done = extract(str(tmp_path / "ok.txt"), "--published", "21/04/2016")
    assert done.returncode == 2
    assert "not a date" in stderr(done) and done.stdout == b""


def test_python_dash_m_analytics_does_the_same_as_the_console_script(articles):
    script = extract(str(articles), "--published", "2016-04-21")
    module = extract(str(articles), "--published", "2016-04-21",
                     command=[sys.executable, "-m", "analytics"])
    assert module.returncode == script.returncode == 0
    assert module.stdout == script.stdout


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    """`analytics extract big.jsonl | head -1`: no traceback when the pipe closes."""
    path = tmp_path / "many.jsonl"
    path.write_text(jsonl(*({"id": f"a{n}", "text": MEETING} for n in range(3000))),
                    encoding="utf-8")
    proc = subprocess.Popen([str(SCRIPT), "extract", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert json.loads(first)["article"]["id"] == "a0"
    assert b"Traceback" not in err
    assert proc.returncode == 0


@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpus (not in a checkout)")
def test_real_news_articles_come_out_in_order_and_the_empty_ones_are_reported():
    """The first 400 ANT articles (three of them with an empty text, as published)."""
    with CORPUS.open(encoding="utf-8") as fh:
        head = [next(fh) for _ in range(400)]
    records = [json.loads(line) for line in head]
    done = extract("-", stdin="".join(head))
    readable = [r["id"] for r in records if r["text"].strip()]
    assert len(readable) < len(records)
    out = lines(done)
    assert [o["article"]["id"] for o in out] == readable
    assert done.returncode == 1
    err = stderr(done).splitlines()
    assert len(err) == len(records) - len(readable) + 1        # one line each, one summary
    assert "Traceback" not in stderr(done)
    texts = {r["id"]: r["text"] for r in records}
    for o in out:
        text = texts[o["article"]["id"]]
        assert o["article"]["published"] == next(
            r["published"] for r in records if r["id"] == o["article"]["id"])
        for m in o["entities"] + o.get("dates", []):
            assert text[m["start"]:m["end"]] == m["text"]
