"""JSON: a list of objects, one per row, one row per line; list cells stay lists.

>>> from gtkg.table import Table
>>> write(Table(["force", "sources"], [["cost", ["s1", "s2"]], ["speed_&_scale", []]]), None)
'[\\n  {"force": "cost", "sources": ["s1", "s2"]},\\n  {"force": "speed_&_scale", "sources": []}\\n]\\n'
"""

import json


def write(table, output, *, width: int | None = None) -> str:
    if not table.rows:
        return "[]\n"
    lines = [json.dumps(d, ensure_ascii=False) for d in table.dicts()]
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"
