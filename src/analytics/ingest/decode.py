"""Bytes -> text: the encodings Arabic news archives come in.

Input: the bytes of a file, a line or a page. Output: the text and the name of the encoding it
was read with, or an `IngestError` saying why the bytes are not text we can trust and how to
convert them.

What we accept, in the order we try it:
1. a byte-order mark: UTF-32, UTF-8 with BOM, UTF-16 (little or big endian);
2. UTF-16 without a mark, recognised by its zero (Latin) and 0x06 (Arabic) high bytes, which
   neither UTF-8 nor any single-byte encoding produces at every other position;
3. UTF-8;
4. the charset an HTML page declares (`<meta charset=...>`), when it is not UTF-8;
5. Windows-1256, the code page of many Arabic archives, when the bytes read as Arabic under it.
   Bytes that merely decode are not enough (every byte decodes under cp1256): nearly all of
   their non-ASCII characters must be Arabic letters, marks or Arabic punctuation. Broken UTF-8
   or Latin-1 read that way is mostly symbols and accented letters, and is rejected instead of
   being passed on as mojibake.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from analytics.errors import IngestError

CP1256 = "windows-1256"
_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# High bytes of UTF-16 code units of Arabic news: Latin and digits (0x00), Arabic (0x06),
# punctuation (0x20), presentation forms (0xFB, 0xFD, 0xFE).
_UTF16_HIGH = frozenset({0x00, 0x06, 0x20, 0xFB, 0xFD, 0xFE})
# What Arabic text in Windows-1256 decodes to: letters and marks (U+0621-U+0652), tatweel,
# Arabic comma, semicolon and question mark, guillemets, typographic quotes, dashes, the ellipsis,
# no-break space, zero-width (non-)joiners and direction marks.
_ARABIC_CP1256 = re.compile("[\u0621-\u0652\u060c\u061b\u061f\u00ab\u00bb\u2018\u2019\u201c"
                            "\u201d\u2013\u2014\u2026\u00a0\u200c\u200d\u200e\u200f]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CP1256_SHARE = 0.9          # of the non-ASCII characters, at least this many must be Arabic
_SAMPLE = 1 << 20            # the heuristics look at the first megabyte


def sniff_wide_encoding(head: bytes) -> str | None:
    """The codec of a stream whose first bytes show UTF-32 or UTF-16 (with or without a byte
    order mark), else None (a byte-oriented encoding: read it line by line)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return None if codec == "utf-8-sig" else codec
    return _utf16_without_bom(head)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[: min(len(data), 4096) & ~1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        zero_or_arabic = sum(high.count(b) for b in (0, 6)) / len(high)
        plausible = sum(high.count(b) for b in _UTF16_HIGH) / len(high)
        other_side = sum(low.count(b) for b in (0, 6)) / len(low)
        if zero_or_arabic >= 0.6 and plausible >= 0.9 and other_side < 0.1:
            return codec
    return None


def looks_like_cp1256_arabic(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as Arabic text under Windows-1256."""
    text = data[:_SAMPLE].decode(CP1256)
    non_ascii = len(_NON_ASCII.findall(text))
    if non_ascii == 0:
        return False
    arabic = len(_ARABIC_CP1256.findall(text))
    return arabic / non_ascii >= _CP1256_SHARE


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of `data`; raises IngestError (without a location: the caller knows
    it) when the bytes are in none of the accepted encodings."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise IngestError(f"starts with a {codec.upper()} byte-order mark but is not "
                                  f"valid {codec.upper()} ({exc.reason} at byte {exc.start}); "
                                  "re-save it as UTF-8") from None
    wide = _utf16_without_bom(data)
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError:
            pass                       # not UTF-16 after all: try the byte encodings
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    codec = _known_codec(declared)
    if codec and codec not in ("utf-8", "utf-16", "utf-32"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    if looks_like_cp1256_arabic(data):
        return data.decode(CP1256), CP1256
    raise IngestError(_undecodable_reason(data, utf8_error))


def _undecodable_reason(data: bytes, utf8_error: UnicodeDecodeError) -> str:
    guess = _guess_encoding(data)
    bad = data[utf8_error.start]
    convert = (f"convert it to UTF-8 (e.g. `iconv -f {guess} -t UTF-8`)" if guess
               else "convert it to UTF-8")
    return (f"not text in UTF-8 (byte 0x{bad:02X} at offset {utf8_error.start} is invalid), "
            f"UTF-16 or Windows-1256 Arabic"
            + (f"; perhaps it is {guess}" if guess else "") + f"; {convert}")


def _guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, for the error message only (it is slow and, on short
    Arabic texts, often unsure, so it never decides what we accept)."""
    from charset_normalizer import from_bytes  # only on the error path: keeps imports light
    best = from_bytes(data[:65536]).best()
    return best.encoding.upper().replace("_", "-") if best is not None else None


@lru_cache(maxsize=64)
def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_line(line: bytes, first: bool) -> str:
    """One line of a byte-oriented JSONL file: UTF-8 (a BOM allowed on the first line), else
    whatever `decode_bytes` accepts for it alone."""
    try:
        return line.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError:
        return decode_bytes(line)[0]


def sniff_text_encoding(head: bytes) -> str:
    """The codec to read a whole text stream (CSV) with, from its first bytes: a wide or BOM'd
    encoding, UTF-8, or Windows-1256; raises IngestError when none fits."""
    wide = sniff_wide_encoding(head)
    if wide:
        return wide
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The head may end inside a character: decode it incrementally, not final.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        if looks_like_cp1256_arabic(head):
            return CP1256
        raise IngestError(_undecodable_reason(head, exc)) from None
