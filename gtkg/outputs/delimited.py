"""CSV and TSV: one line per row, list cells joined with ', '.

>>> from gtkg.outputs import get
>>> from gtkg.table import Table
>>> write(Table(["force", "sources"], [["cost", ["s1", "s2"]]]), get("csv"))
'force,sources\\ncost,"s1, s2"\\n'
"""

import csv
import io

from gtkg.table import cell

DELIMITERS = {"csv": ",", "tsv": "\t"}


def write(table, output, *, width: int | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITERS[output.name], lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([cell(v) for v in row] for row in table.rows)
    return buffer.getvalue()
