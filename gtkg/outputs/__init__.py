"""What gtkg writes, as plug-ins: one module per format, listed once here.

Each output has a name (what `-f` takes), a kind that says what it writes and so which function its module
has, the extension of the files `gtkg build` names after it, and a media type:

    kind "table"  write(table: gtkg.table.Table, output: Output, *, width: int | None) -> str
                  (width: the characters a line may take, for outputs that can fit one; None: no limit)
    kind "rdf"    write(graphs: {graph IRI or None: N-Triples bytes}, output: Output, prefixes) -> bytes

Adding a format is one module with that function, one line in OUTPUTS, and a test; the command line's
choices come from OUTPUTS.

>>> names("table")
('table', 'csv', 'tsv', 'json', 'markdown', 'latex')
>>> get("markdown").extension
'md'
"""

import importlib
from dataclasses import dataclass

from gtkg.errors import InputError


@dataclass(frozen=True)
class Output:
    name: str
    kind: str
    module: str
    extension: str
    media_type: str
    summary: str

    def writer(self):
        """The module that writes this output (imported when first needed)."""
        return importlib.import_module(self.module)


OUTPUTS = (
    Output("table", "table", "gtkg.outputs.terminal", "txt", "text/plain", "aligned columns for a terminal"),
    Output("csv", "table", "gtkg.outputs.delimited", "csv", "text/csv", "comma-separated values"),
    Output("tsv", "table", "gtkg.outputs.delimited", "tsv", "text/tab-separated-values", "tab-separated values"),
    Output("json", "table", "gtkg.outputs.json_rows", "json", "application/json", "a list of objects, one per row"),
    Output("markdown", "table", "gtkg.outputs.markdown", "md", "text/markdown", "a GitHub table"),
    Output("latex", "table", "gtkg.outputs.latex", "tex", "application/x-latex", "a LaTeX tabular"),
    Output("turtle", "rdf", "gtkg.outputs.rdf", "ttl", "text/turtle", "all graphs merged"),
    Output("ntriples", "rdf", "gtkg.outputs.rdf", "nt", "application/n-triples", "all graphs merged"),
    Output("nquads", "rdf", "gtkg.outputs.rdf", "nq", "application/n-quads", "each file's graph kept"),
    Output("trig", "rdf", "gtkg.outputs.rdf", "trig", "application/trig", "each file's graph kept"),
    Output("jsonld", "rdf", "gtkg.outputs.rdf", "jsonld", "application/ld+json", "each file's graph kept"),
)
_BY_NAME = {output.name: output for output in OUTPUTS}


def names(kind: str) -> tuple[str, ...]:
    """The names of the outputs of one kind, in the order of OUTPUTS."""
    return tuple(output.name for output in OUTPUTS if output.kind == kind)


def get(name: str, kind: str | None = None) -> Output:
    output = _BY_NAME.get(name)
    if output is None or (kind and output.kind != kind):
        choices = names(kind) if kind else tuple(_BY_NAME)
        raise InputError(f"unknown {kind + ' ' if kind else ''}format {name!r}; choose one of {', '.join(choices)}")
    return output


def render(table, name: str = "table", *, width: int | None = None) -> str:
    """A Table written in the table format `name` (fitting `width` characters, where the format can)."""
    output = get(name, "table")
    return output.writer().write(table, output, width=width)
