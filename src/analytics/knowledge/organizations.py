"""Organizations: organizations.tsv -> `OrganizationBase` (by id and by matching name), and
org_heads.tsv -> the head nouns that open the name of an organization the base does not know
("وزارة الشؤون المحلية", "جمعية الموسيقيين التونسيين").

Also answers "where is this organization's seat?" for the event extractor: `headquarters_venue`
turns a mention of the OIC into a venue in Jeddah ("بمقر المنظمة").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analytics.errors import KnowledgeError
from analytics.knowledge import read_tsv
from analytics.knowledge.places import Place, load_gazetteer
from analytics.model import Mention, Venue
from analytics.text.normalize import normalize_key

ORGANIZATIONS_FILE = "organizations.tsv"
HEADS_FILE = "org_heads.tsv"


@dataclass(frozen=True)
class Organization:
    id: str                       # org:oic
    name_ar: str
    variants_ar: tuple[str, ...]
    name_en: str
    acronym_en: str | None
    parent: str | None            # org id
    hq_city: str | None           # places id
    kind: str
    country: str | None           # a national body's country
    source: str                   # "organizations.tsv#org:oic"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_ar, *self.variants_ar)


@dataclass(frozen=True)
class OrgHead:
    """A noun that opens an organization's name: "وزارة" + genitive, "حركة" + name."""
    word: str                     # normalized, without the article
    kind: str
    definite_needs: int           # modifiers needed after the definite head ("الاتحاد ..."); 0: never
    indefinite_needs: int         # words needed after the indefinite head ("وزارة الخارجية": 1)
    source: str


@dataclass(frozen=True)
class OrganizationBase:
    by_id: dict[str, Organization]
    by_key: dict[str, Organization]
    heads: dict[str, OrgHead]     # normalized head word (no article) -> rule

    def lookup(self, name: str) -> Organization | None:
        return self.by_key.get(normalize_key(name))

    def get(self, org_id: str) -> Organization | None:
        return self.by_id.get(org_id)

    def seat(self, org: Organization) -> Place | None:
        """The city of the organization's seat, or its parent's."""
        seen = set()
        while org is not None and org.id not in seen:
            seen.add(org.id)
            if org.hq_city:
                return load_gazetteer().get(org.hq_city)
            org = self.by_id.get(org.parent) if org.parent else None
        return None

    def country_of(self, org: Organization) -> str | None:
        if org.country:
            return org.country
        seat = self.seat(org)
        return seat.country if seat else None


@lru_cache(maxsize=1)
def load_organizations() -> OrganizationBase:
    by_id: dict[str, Organization] = {}
    by_key: dict[str, Organization] = {}
    for row in read_tsv(ORGANIZATIONS_FILE, required=("id", "name_ar", "name_en", "kind", "source")):
        org = Organization(
            id=row["id"], name_ar=row["name_ar"], variants_ar=tuple(row.list("variants_ar")),
            name_en=row["name_en"], acronym_en=row.get("acronym_en") or None,
            parent=row.get("parent") or None, hq_city=row.get("hq_city") or None,
            kind=row["kind"], country=row.get("country") or None,
            source=f"{ORGANIZATIONS_FILE}#{row['id']}")
        if org.id in by_id:
            raise KnowledgeError(f"{row.where}: duplicate organization id {org.id!r}")
        by_id[org.id] = org
        for name in org.names:
            key = normalize_key(name)
            if key in by_key and by_key[key].id != org.id:
                raise KnowledgeError(f"{row.where}: the name {name!r} is already "
                                     f"{by_key[key].id}; give it to one organization only")
            by_key[key] = org
    heads: dict[str, OrgHead] = {}
    for row in read_tsv(HEADS_FILE, required=("word", "kind", "definite_needs", "indefinite_needs",
                                              "source")):
        word = normalize_key(row["word"])
        try:
            needs = int(row["definite_needs"]), int(row["indefinite_needs"])
        except ValueError as exc:
            raise KnowledgeError(f"{row.where}: definite_needs and indefinite_needs are whole "
                                 "numbers") from exc
        heads[word] = OrgHead(word, row["kind"], *needs, f"{HEADS_FILE}#{row.line}")
    return OrganizationBase(by_id, by_key, heads)


def headquarters_venue(m: Mention) -> Venue | None:
    """The venue "at the seat of" an organization mention (its entity_id names the org), for
    `find_events(..., hq_venue=headquarters_venue)`."""
    if not m.entity_id or not m.entity_id.startswith("org:"):
        return None
    base = load_organizations()
    org = base.get(m.entity_id)
    seat = base.seat(org) if org else None
    if seat is None:
        return None
    city = load_gazetteer().city_of(seat)
    return Venue(name_ar=city.name_ar, name_en=city.name_en, country=city.country,
                 lat=city.lat, lon=city.lon, entity_id=city.id)
