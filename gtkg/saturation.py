"""The saturation curve in the order the sources were coded: what the saturation figure plots.

By default the sources come in natural order (s1, s2, ..., s10, then p1, ...), the order of their field-note
files and of the `saturation` query; an order file lists them as they were coded instead: one source id (s3)
or field-note file name (s_3.md) a line, blank lines and # comments skipped, the sources it leaves out
following in natural order. Codes are the declared ones (the `codes` query), each counted at the first
source that contains it.
"""

import re
from pathlib import Path

from gtkg.errors import InputError
from gtkg.table import Table

_NOTE_NAME = re.compile(r"(?:.*/)?([A-Za-z]+)_(\d+)\.md")


def saturation_curve(space, order: list[str] | None = None) -> Table:
    """Table(source, new, total, new_codes) of a DesignSpace, sources in `order` (ids) then natural order."""
    sources = [row["id"] for row in space.sources]
    known = set(sources)
    unknown = [source for source in order or [] if source not in known]
    if unknown:
        raise InputError(f"the order names sources the study does not have: {', '.join(unknown[:5])}; "
                         "list source ids (s3) or field-note file names (s_3.md)")
    ordered = list(dict.fromkeys([*(order or []), *sources]))
    contains = {}
    for code in space.codes.values():
        for source in code.sources:
            contains.setdefault(source, []).append(code.variable)
    seen, rows = set(), []
    for source in ordered:
        new = [code for code in contains.get(source, []) if code not in seen]
        seen.update(new)
        rows.append([source, len(new), len(seen), new])
    return Table(["source", "new", "total", "new_codes"], rows)


def read_order(path) -> list[str]:
    """Source ids from an order file (ids or field-note file names, one a line)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the order file {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    ids = []
    for line in lines:
        item = line.split("#", 1)[0].strip()
        if item:
            note = _NOTE_NAME.fullmatch(item)
            ids.append(f"{note.group(1)}{note.group(2)}" if note else item)
    return ids
