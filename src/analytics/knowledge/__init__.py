"""Knowledge as data: tab-separated files under `data/`, one entry a row, each row with an id and
the source of its facts. Loaders in this package turn them into lookup structures; the row id
travels with every mention it produces (`Mention.source == "organizations.tsv#oic"`).

The TSV dialect: UTF-8, a header row, tab-separated, no quoting; lines starting with `#` and
blank lines are comments; list-valued cells are separated by `|`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from analytics.errors import KnowledgeError

DATA_DIR = Path(str(resources.files("analytics.knowledge") / "data"))


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells[key]

    def get(self, key: str, default: str = "") -> str:
        return self.cells.get(key) or default

    def list(self, key: str) -> list[str]:
        """A `|`-separated cell as a list, empty items dropped."""
        return [v.strip() for v in self.get(key).split("|") if v.strip()]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def read_tsv(name: str, required: tuple[str, ...] = (), data_dir: Path | None = None
             ) -> Iterator[Row]:
    """Rows of `data/<name>`; a malformed row raises KnowledgeError naming file and line."""
    path = (data_dir or DATA_DIR) / name
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read knowledge file ({exc.strerror}); "
                             "reinstall the package or restore the file") from exc
    with fh:
        header: list[str] | None = None
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                missing = [c for c in required if c not in header]
                if missing:
                    raise KnowledgeError(f"{path}:{n}: header lacks column(s) {missing}")
                continue
            if len(cells) > len(header):
                raise KnowledgeError(f"{path}:{n}: {len(cells)} cells for {len(header)} columns "
                                     "(a stray tab?)")
            row = dict(zip(header, (c.strip() for c in cells)))
            for col in required:
                if not row.get(col):
                    raise KnowledgeError(f"{path}:{n}: empty required column {col!r}")
            yield Row(name, n, row)
