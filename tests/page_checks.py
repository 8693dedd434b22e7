"""What the page tests share: the app under AppTest on a given store, and readers for what a
page drew (plotly figures as their JSON, HTML from st.markdown)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def app_on(store_path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ANALYTICS_DB", str(store_path))
    return AppTest.from_file(str(APP), default_timeout=60)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Run the app once, then open `page` (a file under app_pages/) with URL parameters."""
    run(at)
    at.query_params.update(params)
    return run(at.switch_page(f"app_pages/{page}"))


def figures(at: AppTest) -> list[dict]:
    """The plotly figures the page drew, as plotly JSON (data and layout)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def html_blocks(at: AppTest, marker: str) -> list[str]:
    """The st.markdown bodies containing `marker`."""
    return [m.value for m in at.markdown if marker in m.value]
