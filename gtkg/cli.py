"""The `gtkg` command: click code only; each command calls one library function.

Exit codes: 0 success, 1 findings (validation at or above --fail-on), 2 bad input, usage or failure,
130 interrupted (Ctrl-C).
"""

import functools
import math
import sys

import click

from gtkg import outputs

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_TIMEOUT = 60.0


def store_options(command):
    """--store and --endpoint (with its update and graph-store URLs), shared by every command that touches data.

    The command receives one `store`, as the library functions take it: the folder, the endpoint's query URL,
    or an Endpoint when the other URLs are given (an endpoint wins over a folder).
    """

    @functools.wraps(command)
    def wrapper(*args, store=None, endpoint=None, update_endpoint=None, graph_store=None, **kwargs):
        if (update_endpoint or graph_store) and not endpoint:
            raise click.UsageError("--update-endpoint and --graph-store need --endpoint (the query URL)")
        if update_endpoint or graph_store:
            from gtkg.store.endpoint import Endpoint

            endpoint = Endpoint.resolve(endpoint, update=update_endpoint, graph_store=graph_store)
        return command(*args, store=endpoint or store, **kwargs)

    decorated = click.option("--graph-store", envvar="GTKG_GRAPH_STORE", metavar="URL",
                             help="Graph Store Protocol URL of the endpoint (env GTKG_GRAPH_STORE; default "
                                  "derived from --endpoint: .../query -> .../store).")(wrapper)
    decorated = click.option("--update-endpoint", envvar="GTKG_UPDATE_ENDPOINT", metavar="URL",
                             help="SPARQL Update URL of the endpoint (env GTKG_UPDATE_ENDPOINT; default derived "
                                  "from --endpoint: .../query -> .../update). Credentials: GTKG_ENDPOINT_USER, "
                                  "GTKG_ENDPOINT_PASSWORD or ~/.config/gtkg/endpoints.toml.")(decorated)
    decorated = click.option("--endpoint", envvar="GTKG_ENDPOINT", metavar="URL",
                             help="Use this SPARQL 1.1 endpoint (query URL) instead of the embedded store "
                                  "(env GTKG_ENDPOINT).")(decorated)
    return click.option("--store", envvar="GTKG_STORE", metavar="DIR", type=click.Path(file_okay=False),
                        help="Folder of the embedded store (env GTKG_STORE; default .gtkg).")(decorated)


def output_option(command):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
                        help="Write to FILE instead of standard output.")(command)


def table_format_option(command):
    """-f/--format and --max-width; the command receives `fmt` and `max_width` and renders with `rendered`."""
    command = click.option("--max-width", type=click.IntRange(min=20), metavar="N",
                           help="Fit -f table into N characters (default: the terminal's width; full width when "
                                "written to a pipe or a file).")(command)
    return click.option("-f", "--format", "fmt", type=click.Choice(outputs.names("table")), default="table",
                        show_default=True, help="Output format.")(command)


def rendered(table, fmt: str, max_width: int | None, output: str | None, **layout) -> str:
    """The table as text: -f table fits the terminal when it goes to one; `layout` as gtkg.outputs.render."""
    width = max_width
    if width is None and fmt == "table" and output is None and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    return outputs.render(table, fmt, width=width, **layout)


def rules_option(command):
    return click.option("--rules", type=click.Choice(["booktabs", "ruled"]), default="booktabs", show_default=True,
                        help="The LaTeX tables' rules: booktabs, or every cell ruled as CodeableModels studies "
                             "set them.")(command)


def scope_option(command):
    return click.option("--scope", type=click.Choice(["auto", "model", "notes", "all"]), default="auto",
                        show_default=True, help="Whose statements count: auto = the model files when any are "
                                                "loaded, else the notes.")(command)


def handle_errors(command):
    """Turn library exceptions into 'Error: ...' and exit code 2 (a traceback only with --debug)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from gtkg.errors import GtkgError

        try:
            return command(*args, **kwargs)
        except GtkgError as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def timeout_option(command):
    return click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                        envvar="GTKG_TIMEOUT", metavar="SECONDS",
                        help="Stop a query that runs longer (0: no limit; env GTKG_TIMEOUT).")(command)


def write(text: str | bytes, output: str | None) -> None:
    if output:
        from pathlib import Path

        from gtkg.errors import InputError

        try:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            mode = "wb" if isinstance(text, bytes) else "w"
            with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
                handle.write(text)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}; give -o a file in a folder you can "
                             "write to") from exc
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
    else:
        click.echo(text, nl=False)


class Gtkg(click.Group):
    """The command group: Ctrl-C ends any command with one line and exit code 130."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was changed (a load or removal is all or nothing).", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=Gtkg, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gtkg")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors: no progress, no summaries.")
def cli(debug, quiet):
    """gtkg: the knowledge graph of a grounded-theory study.

    Load field notes and CodeableModels model files, validate the coding, answer the study's
    questions with stored queries and export the graph.

    Example: gtkg build notes/ models/ -o out/

    Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input, usage or failure, 130 interrupted.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--study", default="study", show_default=True, help="Name of the study (part of every IRI).")
@click.option("--base", default=None, metavar="IRI",
              help="Base IRI of the study's data, and of relative IRIs in RDF files (default: each file's URI).")
@click.option("--replace", is_flag=True,
              help="Let a file replace the graph that a file of the same name at another path was loaded into.")
@store_options
@handle_errors
def load(paths, study, base, replace, store):
    """Load field notes (.md), model files (.py) or RDF files into the store.

    Each file replaces its own named graph; folders are read recursively, and a folder loaded again is
    mirrored: graphs of files that are gone from it are removed. Nothing is executed.

    Example: gtkg load notes/ models/sources_and_codes_model.py
    """
    from gtkg.loading import load as load_files

    with _progress() as progress:
        summary = load_files(paths, store=store, study=study, base=base,
                             replace=replace, progress=progress)
    _echo_loaded(summary)


def _echo_loaded(summary) -> None:
    say(f"Loaded {_plural(summary.files, 'file')}: {summary.sources} sources, {summary.codes} codes, "
               f"{summary.excerpts} excerpts, {summary.triples} triples, {summary.diagnostics} diagnostics"
               + (" (see 'gtkg diagnostics')" if summary.diagnostics else ""))
    if summary.removed:
        say(f"Removed {_plural(len(summary.removed), 'graph')} of files gone from the folders loaded: "
                   + ", ".join(summary.removed))
    if summary.skipped:
        say("Skipped " + "; ".join(_skipped(why, paths) for why, paths in sorted(summary.skipped.items())))


def _skipped(why: str, paths: list) -> str:
    """'65 .pdf', or '1 unreadable folder (Permission denied): notes/private' when there are few to name."""
    from pathlib import Path

    names = f": {', '.join(Path(p).name for p in paths)}" if len(paths) <= 3 and not why.startswith(".") else ""
    return f"{len(paths)} {why}{names}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--study", default="study", show_default=True, help="Name of the study (part of every IRI).")
@click.option("--base", default=None, metavar="IRI", help="Base IRI of the study's data.")
@store_options
@handle_errors
def remove(targets, study, base, store):
    """Remove the graphs of loaded files: give files or folders you loaded (they may be gone by now), file
    names, or graph IRIs.

    Example: gtkg remove notes/s_3.md
    """
    from gtkg.loading import remove as remove_graphs

    summary = remove_graphs(targets, store=store, study=study, base=base)
    say(f"Removed {_plural(len(summary.graphs), 'graph')}: " + ", ".join(summary.files or summary.graphs))


class _progress:
    """The step at hand and its count, on one line of stderr that each update rewrites (at most ten times a
    second), cleared at the end; nothing when stderr is not a terminal or with --quiet."""

    def __enter__(self):
        self.shown = sys.stderr.isatty() and not _quiet()
        self.last, self.step, self.width = 0.0, None, 0
        return self.update

    def update(self, step: str, done: int | None = None, total: int | None = None) -> None:
        import time

        now = time.monotonic()
        if not self.shown or (step == self.step and now - self.last < 0.1 and done != total):
            return
        self.last, self.step = now, step
        text = f"{step} {done}/{total}" if total else f"{step}..."
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()
        self.width = len(text)

    def __exit__(self, *exc):
        if self.shown and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def _quiet() -> bool:
    return bool(click.get_current_context().find_root().params.get("quiet"))


def say(text: str) -> None:
    """An informational line on stderr (summaries, what was written), unless --quiet."""
    if not _quiet():
        click.echo(text, err=True)


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(outputs.names("rdf")), default="turtle", show_default=True,
              help="RDF serialization (Turtle and N-Triples merge all graphs; N-Quads, TriG keep them).")
@output_option
@store_options
@handle_errors
def export(fmt, output, store):
    """Export the graph (deterministic output: same store, same bytes).

    Example: gtkg export -f trig -o study.trig
    """
    from gtkg.exporting import export as export_graph

    write(export_graph(store=store, format=fmt), output)


@cli.command()
@click.argument("query")
@table_format_option
@output_option
@timeout_option
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses fetch other endpoints (refused by default: gtkg fetches no URL on its own).")
@store_options
@handle_errors
def sparql(query, fmt, max_width, output, timeout, allow_service, store):
    """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT) over all graphs.

    QUERY is the query text, or @FILE to read it from a file. These prefixes are declared (a query may
    declare its own): gt: rdf: rdfs: xsd: owl: dcterms: prov: skos: oa:. Only queries: load files with
    'gtkg load'.

    Example: gtkg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from gtkg.exporting import sparql as run_sparql
    from gtkg.table import Table

    if query.startswith("@"):
        query = _read_query(query[1:])
    result = run_sparql(query, store=store, timeout=timeout or math.inf,
                        allow_service=allow_service)
    if isinstance(result, Table):
        write(rendered(result, fmt, max_width, output), output)
    elif isinstance(result, bool):
        write("true\n" if result else "false\n", output)
    else:
        write(result, output)


def _read_query(path: str) -> str:
    from gtkg.errors import InputError

    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not a UTF-8 text file (byte {exc.start}): give a file holding a SPARQL "
                         "query") from exc
    except OSError as exc:
        raise InputError(f"cannot read the query file {path}: {exc.strerror or exc}") from exc


@cli.command()
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), help="Only this severity.")
@table_format_option
@output_option
@store_options
@handle_errors
def diagnostics(severity, fmt, max_width, output, store):
    """List what the loads could not read or found defective, with file and line.

    Example: gtkg diagnostics --severity warning -f csv
    """
    from gtkg.queries import run_query

    params = {"severity": severity} if severity else {}
    write(rendered(run_query("diagnostics", params, store=store), fmt, max_width, output), output)


@cli.command()
@click.argument("name", required=False)
@table_format_option
@handle_errors
def queries(name, fmt, max_width):
    """List the stored queries with their summaries and parameters, or describe one: what it answers, its
    columns and order, each parameter with its type, default and allowed values.

    Example: gtkg queries option-impacts
    """
    import json

    from gtkg.queries import catalogue, describe, get
    from gtkg.table import Table

    chosen = [get(name)] if name else list(catalogue().values())
    if fmt == "json":
        described = [describe(q) for q in chosen]
        return write(json.dumps(described[0] if name else described, indent=1, ensure_ascii=False) + "\n", None)
    if name and fmt == "table":
        return write(_query_text(chosen[0], max_width), None)
    if name:
        rows = [[p.name, p.type, _need(p), p.values, p.description] for p in chosen[0].params]
        return write(rendered(Table(["param", "type", "need", "values", "description"], rows), fmt, max_width, None),
                     None)
    rows = [[q.name, q.summary, [f"{p.name} ({p.type}, {_need(p)})" for p in q.params]] for q in chosen]
    write(rendered(Table(["name", "summary", "params"], rows), fmt, max_width, None), None)


def _need(param) -> str:
    return "required" if param.required else f"default {param.default}" if param.default else "optional"


def _query_text(query, max_width: int | None) -> str:
    """One query described for people: summary, description, columns, order and parameters."""
    import shutil
    import textwrap

    width = max_width or (shutil.get_terminal_size().columns if sys.stdout.isatty() else 100)
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    lines = [f"{query.name}: {query.summary}", "", *textwrap.wrap(query.description, width), ""]
    lines.append(wrap.fill("columns: " + ", ".join(c + (" (a list)" if c in query.lists else "")
                                                     for c in query.columns)))
    if query.order:
        lines.append(wrap.fill("rows in order of: " + ", ".join(f"{c} ({how})" for c, how in query.order)))
    for p in query.params:
        allowed = f"; one of {', '.join(p.values)}" if p.values else f"; a {p.kind.replace('_', ' ')}" if p.kind else ""
        lines.append(wrap.fill(f"-p {p.name} ({p.type}, {_need(p)}{allowed}): {p.description}"))
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A parameter of the query, bound as an RDF term (repeatable).")
@table_format_option
@output_option
@timeout_option
@store_options
@handle_errors
def query(name, params, fmt, max_width, output, timeout, store):
    """Run the stored query NAME ('gtkg queries' lists them).

    Example: gtkg query source-codes -p source s33 -f csv
    """
    from gtkg.queries import get, run_query, why_empty

    table = run_query(name, dict(params), store=store, timeout=timeout or math.inf)
    write(rendered(table, fmt, max_width, output, caption=get(name).summary, label=f"tab:{name}"), output)
    reason = why_empty(name, dict(params)) if not table.rows else None
    if reason:
        say(f"No rows: {reason}")


@cli.command()
@click.argument("name", type=click.Choice(["sources", "forces", "overview"]))  # gtkg.paper.PAPER_TABLES
@click.option("-f", "--format", "fmt", type=click.Choice(["latex", "markdown", "csv"]), default="latex",
              show_default=True, help="Output format.")
@click.option("--caption", default=None, help="The LaTeX table's caption (default: one saying what it shows).")
@click.option("--label", default=None, help="The LaTeX table's label (default: tab:NAME).")
@rules_option
@scope_option
@output_option
@store_options
@handle_errors
def paper(name, fmt, caption, label, rules, scope, output, store):
    """Write one of the paper's tables: sources, forces (f1, f2, ...) or the decisions' overview.

    The LaTeX compiles with the packages and colours of paper/preamble.tex, which gtkg build writes.

    Example: gtkg paper overview --caption 'Decisions and options' --label tab:decisions -o overview.tex
    """
    from gtkg.outputs import render
    from gtkg.paper import paper_table

    table = paper_table(name, store=store, scope=scope, caption=caption, label=label, rules=rules)
    write(render(table, fmt), output)


@cli.command()
@click.argument("decisions", nargs=-1)
@click.option("-f", "--format", "fmt", type=click.Choice(outputs.names("diagram")), default="plantuml",
              show_default=True, help="Diagram language.")
@click.option("--forces", is_flag=True, help="Show the forces each option affects, with the polarity.")
@click.option("--next", "next_decisions", is_flag=True, help="Draw the next-decision links between decisions.")
@scope_option
@output_option
@store_options
@handle_errors
def diagram(decisions, fmt, forces, next_decisions, scope, output, store):
    """Draw decisions (variables or labels; all when none is given) with their options, the design solutions
    connected to those by dependencies and the next decisions, as PlantUML, Mermaid or DOT.

    Render DOT with Graphviz (dot -Tsvg), PlantUML with plantuml -tsvg; GitHub draws Mermaid in Markdown.

    Example: gtkg diagram data_access_decision --forces -f mermaid
    """
    from gtkg.diagrams import diagram as draw

    write(draw(decisions, store=store, format=fmt, forces=forces, next_decisions=next_decisions, scope=scope),
          output)


@cli.command()
@click.option("--store", envvar="GTKG_STORE", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder of the embedded store (env GTKG_STORE; default .gtkg).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--bind", "host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on; anything but loopback makes the study reachable from other machines.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Longest a query may run; it is stopped then and the client gets an error.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Most rows (or CONSTRUCT triples) of one answer; a larger answer is an error, never truncated.")
@click.option("--allow-service", is_flag=True,
              help="Run SERVICE clauses: the server then fetches any URL a client names (refused by default).")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@handle_errors
def serve(store, port, host, timeout, max_rows, allow_service, quiet):
    """Serve the store as a read-only SPARQL 1.1 endpoint (query at /query; updates refused).

    Any SPARQL client can query the study without a server install; it answers from the latest load.
    Each query may run --timeout seconds and return --max-rows rows; requests must name this server
    (Host localhost or 127.0.0.1, or the --bind address).

    Example: gtkg serve --port 7878, then gtkg query sources --endpoint http://127.0.0.1:7878/query
    """
    from gtkg.store.serve import is_loopback
    from gtkg.store.serve import serve as start

    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}: anyone who can reach this machine can read the study "
                   "(no authentication, no TLS).", err=True)
    server = start(store=store, host=host, port=port, timeout=timeout, max_rows=max_rows,
                   allow_service=allow_service, log=None if quiet else lambda line: click.echo(line, err=True))
    click.echo(f"Serving {server.location} read-only at {server.url} (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for the tables, study.ttl and the validation report.")
@click.option("--study", default="study", show_default=True, help="Name of the study (part of every IRI).")
@click.option("--base", default=None, metavar="IRI",
              help="Base IRI of the study's data, and of relative IRIs in RDF files (default: each file's URI).")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default=None,
              help="Exit with 1 when validation finds problems at or above this severity (default: never).")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="EXTRA.ttl",
              help="A study's own SHACL shapes, checked too (repeatable).")
@rules_option
@click.option("--order", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="The sources in the order they were coded (ids or note file names, one a line), for the "
                   "saturation figure (default: s1, s2, ..., then p1, ...).")
@store_options
@handle_errors
def build(paths, output, study, base, fail_on, shapes, rules, order, store):
    """Load notes and models, then write every table, the paper's tables, the diagrams, the design document,
    the saturation figure, the graph and the validation report to DIR.

    Writes DIR/tables/<query>.csv, .md and .tex for every stored query that needs no parameter;
    DIR/paper/sources, forces and overview (.tex, .md, .csv) and preamble.tex; DIR/diagrams/ (PlantUML,
    Mermaid, DOT, and SVG when Graphviz or PlantUML is installed); DIR/design.md and quotes.md;
    DIR/figures/saturation.svg and .pdf (with matplotlib: pip install 'gtkg[plots]'); DIR/study.ttl and
    DIR/validation.txt (.ttl). Without --store or --endpoint the graph is built in a scratch store in
    memory, so the result depends on PATHS only; give --store DIR to keep it for queries.

    Example: gtkg build notes/ models/ -o out/
    """
    from gtkg.building import build as build_study

    with _progress() as progress:
        summary = build_study(paths, output=output, store=store, study=study, base=base, fail_on=fail_on,
                              shapes=shapes, rules=rules, order=order, progress=progress)
    loaded = summary.loaded
    say(f"Loaded {loaded.files} files: {loaded.sources} sources, {loaded.codes} codes, {loaded.excerpts} "
               f"excerpts, {loaded.triples} triples, {loaded.diagnostics} diagnostics")
    say(f"Wrote {len(summary.tables)} tables (csv, md, tex) to {summary.output / 'tables'}"
               + (f"; skipped {', '.join(summary.skipped)} (they need parameters)" if summary.skipped else ""))
    say(f"Paper: the sources, forces and overview tables in {summary.output / 'paper'}; "
               f"{_plural(summary.diagrams, 'diagram')} in {summary.output / 'diagrams'}"
               + (f" (SVG by {summary.rendered})" if summary.rendered else "")
               + f"; the design document {summary.output / 'design.md'} (quotes.md)")
    for missing in summary.missing:
        say(f"Not written: {missing}")
    say(f"Validation: {summary.validation} (see {summary.output / 'validation.txt'})")
    say(f"Graph: {summary.output / 'study.ttl'}")
    if summary.failed:
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.option("--shapes", "shapes", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="EXTRA.ttl",
              help="A study's own SHACL shapes, checked too (repeatable).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="text for people; turtle is the standard SHACL report graph.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Exit with 1 when a finding is of this severity or worse.")
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), default=None,
              help="Report only findings of this severity or worse, and list them all (default: all findings; "
                   "the text lists violations and warnings and counts infos).")
@click.option("--problem", "problems", multiple=True, metavar="NAME",
              help="Report only findings of this problem, e.g. undeclared-code (repeatable).")
@click.option("--source", "sources", multiple=True, metavar="ID",
              help="Report only findings about this source (its id, e.g. s7), its links or its notes (repeatable).")
@click.option("--file", "files", multiple=True, metavar="PATH",
              help="Report only findings in this input file (repeatable).")
@output_option
@store_options
@handle_errors
def validate(shapes, fmt, fail_on, severity, problems, sources, files, output, store):
    """Check the study graph against gtkg's SHACL shapes (and a study's own).

    The text report leads with what to fix first: violations, then warnings, grouped by problem with a count
    and how to fix it; each finding is one line starting with its file:line. Infos are counted (list them with
    --severity info). The filters narrow the report and the exit code to what they keep. Exit code 0: no
    findings at or above --fail-on; 1: some; 2: data or shapes unreadable.

    Example: gtkg validate --fail-on warning --file notes/s_7.md
    """
    from gtkg.shapes import validate as validate_study

    report = validate_study(store=store, shapes=shapes, fail_on=fail_on, severity=severity, problems=problems,
                            sources=sources, files=files)
    write({"text": report.text, "turtle": report.turtle, "json": report.json}[fmt](), output)
    if output:
        say(report.summary())
    if report.failed(fail_on):
        sys.exit(EXIT_FINDINGS)


def main():
    cli(prog_name="gtkg")


if __name__ == "__main__":
    main()
