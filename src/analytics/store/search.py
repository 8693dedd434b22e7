"""A free-text search's hits, found once per version of the store and reused by every query.

Input: SQL from the queries layer whose filters hold a search (`analytics.filters.Filters`
writes its condition as `hits_condition(key)`), and the cursor of the snapshot it runs on.
Output: that snapshot's in-memory table of the rowids of the events whose `search_text`
contains the folded search term, made before the SQL runs when it is not there yet.

Why. A search is a substring test over every event's folded names: about 120 ms at 837,000
events, and a page under a search ran it once per query (five or six times). The test gives
the same events for one store file whatever the other filters, so its rowids are kept with the
snapshot (each snapshot is its own in-memory DuckDB instance, see `analytics.store.snapshot`):
the next query under the same search joins them in 3-20 ms, and a store newly published is a
new snapshot, searched afresh. Each table holds 8 bytes an event found; `Store` starts a new
snapshot after `MAX_SEARCHES` searches or `MAX_HITS` events found, rather than dropping a table
a running query may read.

The term travels inside the table's name, hex-encoded (only [0-9a-f] reach the SQL text), so
that the queries need nothing but their SQL and the store nothing but the statement it runs.
"""

from __future__ import annotations

import re

import duckdb

from analytics.store.snapshot import CATALOG

# A snapshot keeps at most this many searches, and this many events found in all (8 bytes
# each: 128 MB), before the store opens a new one.
MAX_SEARCHES = 64
MAX_HITS = 16_000_000
_PREFIX = "searched_"
_TABLE = re.compile(r'memory\.main\."' + _PREFIX + r'([0-9a-f]+)"')


def hits_table(key: str) -> str:
    """The snapshot's table of the events the folded search term `key` finds."""
    return f'memory.main."{_PREFIX}{key.encode().hex()}"'


def hits_condition(key: str, alias: str = "e") -> str:
    """A condition over the store's `events` (aliased `alias`): the event is among `key`'s
    hits. Run through `Store`, which makes the table first (`prepare`)."""
    return f"{alias}.rowid IN (SELECT event_rowid FROM {hits_table(key)})"


def keys_in(sql: str) -> list[str]:
    """The search terms whose hits `sql` reads, in order of first appearance."""
    return list(dict.fromkeys(bytes.fromhex(h).decode() for h in _TABLE.findall(sql)))


def prepare(cur: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, int]:
    """Make the hits tables of `keys` in the snapshot `cur` reads, when not there yet (the
    caller serializes calls on one snapshot); returns how many events each holds."""
    found = {}
    for key in keys:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {hits_table(key)} AS "
                    f"SELECT rowid AS event_rowid FROM {CATALOG}.events "
                    f"WHERE contains(search_text, ?)", [key])
        found[key] = cur.execute(f"SELECT count(*) FROM {hits_table(key)}").fetchone()[0]
    return found
