"""The corrections log: every analyst's correction (who, when, what, why, its state), those
whose event vanished listed for review, undo, and a CSV export."""

import streamlit as st

from analytics.charts import labels
from analytics.queries import corrections as queries
from analytics.store import Store

store, lang = st.session_state["store"], st.session_state["lang"]


def t(key: str, **values: object) -> str:
    return labels.text(key, lang, **values)

st.title(t("page_audit"))
if flash := st.session_state.pop("au_flash", None):
    st.success(flash)
table = queries.corrections(store)

st.subheader(t("au_vanished"))
vanished = table[table["state"] == "vanished"]
if vanished.empty:
    st.caption(t("au_vanished_none"))
else:
    st.caption(t("au_vanished_help"))
    st.dataframe(vanished.rename(columns=lambda c: labels.column(c, lang)), hide_index=True)

st.subheader(t("au_all"))
st.dataframe(table.rename(columns=lambda c: labels.column(c, lang)), hide_index=True)
# The file keeps the data's own column names (scripts read it); the byte order mark makes
# spreadsheet programs read the Arabic as UTF-8.
st.download_button(t("download_corrections"), table.to_csv(index=False).encode("utf-8-sig"),
                   file_name="corrections.csv", mime="text/csv")

undoable = table[table["state"].isin(["in force", "vanished"])]
choice = st.selectbox(t("au_undo_pick"), undoable["correction_id"].tolist(), index=None,
                      format_func=dict(zip(undoable["correction_id"], undoable["action"] + " · "
                                           + undoable["field"].fillna("") + " · "
                                           + undoable["event_id"].fillna(""), strict=True)).get)
who = st.text_input(t("rv_who"), key="au_who")
reason = st.text_input(t("rv_reason"), key="au_reason")
if st.button(t("rv_undo"), disabled=choice is None):
    with Store.open(store.path) as writable:
        writable.correct("undo", undoes=choice, author=who, reason=reason)
    st.session_state["au_flash"] = t("rv_done")
    st.rerun()
