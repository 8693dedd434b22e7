"""The text stage's pieces (analytics.text): normalization with its offset map back to the
original text, tokens and their clitic-stripped forms, sentence boundaries.

The rule under test everywhere: the original text is never altered, and every span of the
normalized text maps back to the stretch of the original that a reader would point at.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analytics.text.normalize import char_table, normalize, normalize_key
from analytics.text.sentences import split_sentences
from analytics.text.tokens import clitic_forms, strip_article, tokenize

# ---------------------------------------------------------------- the normalized text

@pytest.mark.parametrize("original, normalized", [
    ("مُنَظَّمَةُ التَّعَاوُنِ", "منظمه التعاون"),                      # diacritics, teh marbuta
    ("النـــدوة", "الندوه"),                                             # tatweel
    ("غداً", "غدا"),                                                    # tanween
    ("\u200fغدا\u200e \u061cنص", "غدا نص"),                              # RLM, LRM, ALM
    ("\u202bالقدس\u202c \u2067غزة\u2069", "القدس غزه"),                  # embeddings, isolates
    ("منظ\u200cمة\u200d \u200bو\u2060\ufeffنص", "منظمه ونص"),          # zero-width characters
    ("مؤتمر\u0000\u00ad", "مؤتمر"),                                      # NUL, soft hyphen
    ("ﻻ ﻷ ﻵ ﻹ ﻼ", "لا لا لا لا لا"),                                     # lam-alef ligatures
    ("٢٠١٦ ۲۰۱۷ 2018", "2016 2017 2018"),                                # Eastern digits
    ("ﺑﺎﻛﻮ ﻣﺆﺗﻤﺮ", "باكو مؤتمر"),                                         # presentation forms
    ("أإآٱ مستشفى", "اااا مستشفي"),                                       # alef, alef maksura
    ("في\u00a0القاهرة\u2009اليوم", "في القاهره اليوم"),                  # odd spaces
    ("UN Summit 2030, Baku.", "UN Summit 2030, Baku."),                  # Latin untouched
])
def test_the_matching_form(original, normalized):
    assert normalize(original).text == normalized


@pytest.mark.parametrize("original, normalized_word, surface", [
    ("وتُعقَد النـــدوة غداً", "الندوه", "النـــدوة"),
    ("أعلنت مُنَظَّمَةُ الصحة", "منظمه", "مُنَظَّمَةُ"),     # its final mark comes along
    ("\u200fغداً\u200f في باكو", "غدا", "غداً"),             # the bidi marks stay outside
    ("وقال ﻻ بد من الحوار", "لا", "ﻻ"),                    # two letters from one ligature
    ("في عام ٢٠١٦م", "2016", "٢٠١٦"),
    ("ﺑﺎﻛﻮ عاصمة", "باكو", "ﺑﺎﻛﻮ"),
    ("في\u200c القاهرة", "القاهره", "القاهرة"),
    ("منظ\u200cمة التعاون", "منظمه", "منظ\u200cمة"),       # a joiner inside stays inside
    ("\u0000\u0000الأمم المتحدة", "الامم المتحده", "الأمم المتحدة"),
])
def test_a_normalized_span_maps_back_to_its_surface(original, normalized_word, surface):
    norm = normalize(original)
    i = norm.text.index(normalized_word)
    start, end = norm.to_original(i, i + len(normalized_word))
    assert original[start:end] == surface


def test_text_that_keeps_its_length_maps_one_to_one():
    original = "عقد مؤتمر القمة الإسلامية في إسطنبول يومي 14 و15 أبريل"
    norm = normalize(original)
    assert len(norm.text) == len(original)
    assert all(norm.to_original(i, j) == (i, j)
               for i in range(len(original)) for j in range(i + 1, len(original) + 1, 7))


def test_an_empty_span_maps_to_an_empty_span_at_its_place():
    norm = normalize("\u200fغدا")
    assert norm.to_original(0, 0) == (1, 1)
    assert norm.to_original(3, 3) == (4, 4)


def test_normalize_key_folds_whitespace_of_names_and_patterns():
    assert normalize_key("  منظمة \t التعاون\nالإسلامي ") == "منظمه التعاون الاسلامي"


@pytest.mark.parametrize("word", [
    "سأل", "مسؤول", "رئيس", "إسلام", "القرآن",
    # vowelled: NFD puts the vowel mark between the letter and its hamza
    "سَأَلَ", "مَسْؤُولٌ", "رَئِيسُ", "إِسْلَام", "أُمَم",
])
def test_a_word_in_decomposed_form_stays_one_token(word):
    decomposed = unicodedata.normalize("NFD", word)
    assert decomposed != word
    assert [t.text for t in tokenize(normalize(decomposed).text)] == \
        [t.text for t in tokenize(normalize(word).text)]


# ---------------------------------------------------------------- properties

# Characters of Arabic news and what normalization does to them: letters, marks, tatweel,
# invisible characters, ligatures, presentation forms, digits, spaces, punctuation, Latin, and
# decomposed hamza/madda letters (a letter and its combining mark, composed first: see above).
ARABIC_NEWS_UNITS = st.sampled_from(
    [chr(c) for c in range(0x0621, 0x064B)] + [chr(c) for c in range(0x064B, 0x0653)]
    + ["\u0670", "\u0640", "\u0640"] + list("\u200b\u200c\u200d\u200e\u200f\u202b\u202c"
                                            "\u2066\u2069\u061c\ufeff\u0000\u00ad")
    + [chr(c) for c in range(0xFEF5, 0xFEFD)] + [chr(c) for c in range(0xFE8D, 0xFEF5, 3)]
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789") + [" ", " ", " ", "\n", "\u00a0", "\t"]
    + list(".،؛؟!:«»()-/") + list("abcXYZ")
    + ["\u0627\u0653", "\u0627\u0654", "\u0627\u0655", "\u0648\u0654", "\u064a\u0654",
       "\u0627\u064e\u0654", "\u0627\u0650\u0655", "\u0648\u064f\u0654", "\u064a\u0650\u0654"])
ARABIC_NEWS = st.lists(ARABIC_NEWS_UNITS, max_size=60).map("".join)
ANY_TEXT = st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_property_each_character_is_normalized_on_its_own(s):
    # Outside decomposed hamza/madda sequences, which are composed first.
    assume(not re.search("[\u0621-\u064a][\u0653-\u0655]", s))
    table = char_table()
    assert normalize(s).text == "".join(table.get(c, c) for c in s)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_property_each_normalized_character_comes_from_one_original_character_in_order(s):
    table = char_table()
    norm = normalize(s)
    origins = [norm.origin(i) for i in range(len(norm.text))]
    assert origins == sorted(origins)
    for i, o in enumerate(origins):
        assert 0 <= o < len(s)
        assert norm.text[i] in table.get(s[o], s[o])


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.data())
def test_property_any_span_maps_inside_the_original(s, data):
    norm = normalize(s)
    i = data.draw(st.integers(0, len(norm.text)))
    j = data.draw(st.integers(i, len(norm.text)))
    start, end = norm.to_original(i, j)
    assert 0 <= start <= end <= len(s)
    if i < j:
        assert start < end


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_property_normalizing_twice_changes_nothing(s):
    once = normalize(s).text
    assert normalize(once).text == once


@settings(max_examples=500, deadline=None)
@given(ARABIC_NEWS)
def test_property_every_token_maps_back_to_a_tight_surface_that_normalizes_to_it(s):
    table = char_table()
    norm = normalize(s)
    for token in tokenize(norm.text):
        start, end = norm.to_original(token.start, token.end)
        assert normalize(s[start:end]).text == token.text
        # Tight: it starts on a character that shows, and ends on one or on its marks.
        assert table.get(s[start], s[start]) != ""
        last = s[end - 1]
        assert table.get(last, last) != "" or last == "\u0640" \
            or unicodedata.category(last) == "Mn"


@settings(max_examples=500, deadline=None)
@given(ARABIC_NEWS, st.data())
def test_property_spans_on_character_boundaries_map_back_exactly(s, data):
    """A span that does not cut an expanded character (a ligature's two letters) maps to an
    original stretch whose own normalization is that span."""
    norm = normalize(s)
    n = len(norm.text)
    cuts = [k for k in range(n + 1)
            if k in (0, n) or norm.origin(k) != norm.origin(k - 1)]
    i = data.draw(st.sampled_from(cuts))
    j = data.draw(st.sampled_from([k for k in cuts if k >= i]))
    start, end = norm.to_original(i, j)
    assert normalize(s[start:end]).text == norm.text[i:j]


# ---------------------------------------------------------------- tokens and clitics

@pytest.mark.parametrize("normalized, tokens", [
    ("عقد 3 اجتماعات، في 2016.", ["عقد", "3", "اجتماعات", "في", "2016"]),
    ("#القمه_العربيه", ["القمه", "العربيه"]),
    ("UN-Habitat و«الفاو»", ["UN", "Habitat", "و", "الفاو"]),
    ("", []),
])
def test_tokens_are_runs_of_letters_and_digits(normalized, tokens):
    assert [t.text for t in tokenize(normalized)] == tokens


def test_token_offsets_index_the_normalized_text():
    text = "اجتمع وزير الخارجيه بنظيره"
    assert all(text[t.start:t.end] == t.text for t in tokenize(text))


@pytest.mark.parametrize("token, forms", [
    ("بالقاهره", ("بالقاهره", "القاهره")),
    ("والقاهره", ("والقاهره", "القاهره")),
    ("وبالقاهره", ("وبالقاهره", "بالقاهره", "القاهره")),
    ("فالوزير", ("فالوزير", "الوزير")),
    ("كالعاده", ("كالعاده", "العاده")),
    ("وللامم", ("وللامم", "للامم", "الامم", "لامم")),      # و + ل + الامم, or و + ل + لامم
    ("للقاء", ("للقاء", "القاء", "لقاء")),                  # ل + لقاء
    ("بغداد", ("بغداد", "غداد")),                          # the name itself comes first
    ("لبنان", ("لبنان", "بنان")),
    ("ولبنان", ("ولبنان", "لبنان", "بنان")),
    ("وفد", ("وفد",)),                                     # three letters: nothing to strip
    ("بها", ("بها",)),
])
def test_clitic_forms_most_literal_first(token, forms):
    assert clitic_forms(token) == forms


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("وفبلكالمنتديقهرس")), min_size=1, max_size=10))
def test_property_clitic_forms_start_with_the_token_and_are_shorter_readings_of_it(token):
    forms = clitic_forms(token)
    assert forms[0] == token
    assert len(set(forms)) == len(forms)
    for f in forms[1:]:
        # a proclitic taken off, or ل + ال contracted ("للامم" = ل + الامم)
        assert token.endswith(f) or (f.startswith("ال") and token.endswith(f[2:]))
        assert 3 <= len(f) < len(token) + 1


@pytest.mark.parametrize("word, stem", [
    ("القاهره", "قاهره"), ("الامم", "امم"), ("الي", "الي"), ("الله", "الله"), ("باكو", "باكو"),
])
def test_strip_article(word, stem):
    assert strip_article(word) == stem


# ---------------------------------------------------------------- sentences

def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("عقد الاجتماع. وقال الوزير!", ["عقد الاجتماع.", "وقال الوزير!"]),
    ("هل حضر؟ نعم", ["هل حضر؟", "نعم"]),
    ("أولا؛ ثانيا", ["أولا؛", "ثانيا"]),
    ("السطر الأول\nالسطر الثاني\n\n", ["السطر الأول", "السطر الثاني"]),
    ("بلغ النمو 3.5 في المئة. ثم", ["بلغ النمو 3.5 في المئة.", "ثم"]),     # decimal point
    ("في 2016. ثم", ["في 2016.", "ثم"]),
    ("قال.. وأضاف", ["قال.. وأضاف"]),                                     # agency ".."
    ("انتهى...ثم", ["انتهى...ثم"]),
    ("وأكد، في بيان، أن الاجتماع ناجح", ["وأكد، في بيان، أن الاجتماع ناجح"]),  # commas
    ("   ", []),
    ("", []),
    ("قال «نعم.» ثم غادر", ["قال «نعم.»", "ثم غادر"]),
    ("وقال د. محمد علي إن الاجتماع ناجح", ["وقال د. محمد علي إن الاجتماع ناجح"]),
])
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("اب جد.!؟؛\n\t «»\"3")), max_size=60))
def test_property_sentences_are_ordered_trimmed_and_cover_every_visible_character(text):
    spans = split_sentences(text)
    covered = set()
    previous_end = 0
    for s in spans:
        assert previous_end <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        covered.update(range(s.start, s.end))
        previous_end = s.end
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered
