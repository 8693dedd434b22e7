"""Reading articles: files and standard input -> `Article`s (the first stage).

Input: paths of `.txt`, `.jsonl`, `.csv` and `.html` files, directories of them, or `-` for JSONL
on standard input. Output: a stream of `Article | IngestError`, in input order; a bad article
is an error in the stream and the next one is read. The only package that opens input files.

    for item in read_articles(["news.jsonl", "press/"], published=None):
        ...

Modules: `readers` (formats, directories, the run-wide duplicate check), `records` (fields ->
Article, the checks every format shares), `decode` (UTF-8, UTF-16, Windows-1256), `html`
(visible text and metadata of a page).
"""

from analytics.ingest.decode import decode_bytes
from analytics.ingest.html import Page, html_to_text
from analytics.ingest.readers import READERS, STDIN, files_in, read_articles
from analytics.ingest.records import article_from_record, parse_published

SUFFIXES = tuple(READERS)

__all__ = [
    "STDIN",
    "SUFFIXES",
    "Page",
    "article_from_record",
    "decode_bytes",
    "files_in",
    "html_to_text",
    "parse_published",
    "read_articles",
]
