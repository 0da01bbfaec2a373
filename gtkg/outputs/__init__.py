"""What gtkg writes, as plug-ins: one module per format, listed once here.

Each output has a name (what `-f` takes), a kind that says what it writes and so which function its module
has, the extension of the files `gtkg build` names after it, and a media type:

    kind "table"     write(table: gtkg.table.Table, output: Output, *, width: int | None = None) -> str
                     (width: the characters a line may take, for outputs that fit one; None: no limit)
    kind "rdf"       write(graphs: {graph IRI or None: N-Triples bytes}, output: Output, prefixes) -> bytes
    kind "diagram"   write(diagram: gtkg.diagrams.Diagram, output: Output) -> str
    kind "document"  write(space: gtkg.design.DesignSpace, output: Output) -> str
    kind "figure"    write(curve: gtkg.table.Table, output: Output) -> bytes  (source, new, total: a saturation curve)

A table's Layout (gtkg.table) sets it for a page: the paper tables (gtkg.paper) are tables with layouts, so
LaTeX, Markdown and CSV write them as they write every query's table.

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
    Output("latex", "table", "gtkg.outputs.latex", "tex", "application/x-latex",
           "a LaTeX table with caption and label, wrapping columns, booktabs rules"),
    Output("turtle", "rdf", "gtkg.outputs.rdf", "ttl", "text/turtle", "all graphs merged"),
    Output("ntriples", "rdf", "gtkg.outputs.rdf", "nt", "application/n-triples", "all graphs merged"),
    Output("nquads", "rdf", "gtkg.outputs.rdf", "nq", "application/n-quads", "each file's graph kept"),
    Output("trig", "rdf", "gtkg.outputs.rdf", "trig", "application/trig", "each file's graph kept"),
    Output("jsonld", "rdf", "gtkg.outputs.rdf", "jsonld", "application/ld+json", "each file's graph kept"),
    Output("plantuml", "diagram", "gtkg.outputs.plantuml", "puml", "text/x-plantuml", "a PlantUML object diagram"),
    Output("mermaid", "diagram", "gtkg.outputs.mermaid", "mmd", "text/vnd.mermaid",
           "a Mermaid flowchart, drawn by GitHub and GitLab in Markdown"),
    Output("dot", "diagram", "gtkg.outputs.dot", "dot", "text/vnd.graphviz", "a Graphviz digraph"),
    Output("design", "document", "gtkg.outputs.design_document", "md", "text/markdown",
           "the design document: every decision with its evidence, options, impacts and diagram"),
    Output("quotes", "document", "gtkg.outputs.quotes_document", "md", "text/markdown",
           "the quotes behind the design document, with file:line"),
    Output("svg", "figure", "gtkg.outputs.figure", "svg", "image/svg+xml", "the saturation figure (matplotlib)"),
    Output("pdf", "figure", "gtkg.outputs.figure", "pdf", "application/pdf", "the saturation figure (matplotlib)"),
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


def render(table, name: str = "table", *, width: int | None = None, **layout) -> str:
    """A Table written in the table format `name`, fitting `width` characters where the format can; `layout`
    sets fields of its Layout where it has none (caption, label, rules: a paper table's own win over a query's
    defaults)."""
    from dataclasses import replace

    from gtkg.table import Layout

    output = get(name, "table")
    if layout:
        own = table.layout or Layout()
        chosen = {key: value for key, value in layout.items() if value and not getattr(own, key)}
        table = replace(table, layout=replace(own, **chosen))
    return output.writer().write(table, output, width=width)
