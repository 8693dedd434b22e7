"""Cross-article event resolution: the same real event, reported by several articles, becomes
one event that lists every source.

Input: each article's events with the article's id and publication date (`event_key`), in
ingest order. Output: the cluster each article event belongs to (`Resolver.assign`, or
`resolve` for a batch), and a cluster's resolved fields from its sources' claims (`merge`).
Pure functions and an in-memory index; the store keeps the keys and clusters between runs and
feeds the index only the clusters the events being ingested can join: those with a member on a
day they look at that shares a piece of their `evidence` (`indexed_days`, `lookup_days`).

    resolver = Resolver()
    cluster_id = resolver.assign(event_key(event_id, article.id, article.published, event))
    fields = merge([SourceClaim(event_id, article_id, published, claim), ...])
"""

from analytics.resolve.keys import GATHERINGS, EventKey, event_key, family, fold
from analytics.resolve.match import (
    THRESHOLD,
    Cluster,
    Resolver,
    evidence,
    indexed_days,
    lookup_days,
    resolve,
    score,
)
from analytics.resolve.merge import CONFLICT_FIELDS, SourceClaim, conflicts, merge

__all__ = [
    "CONFLICT_FIELDS", "GATHERINGS", "THRESHOLD", "Cluster", "EventKey", "Resolver",
    "SourceClaim", "conflicts", "event_key", "evidence", "family", "fold", "indexed_days",
    "lookup_days", "merge", "resolve", "score",
]
