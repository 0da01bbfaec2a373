"""The `gtkg` command: click code only; each command calls one library function.

Exit codes: 0 success, 1 findings (validation at or above --fail-on), 2 bad input, usage or failure.
"""

import functools
import sys

import click

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
TABLE_FORMATS = ("table", "csv", "tsv", "json", "markdown", "latex")
EXPORT_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld")


def store_options(command):
    """--store and --endpoint, shared by every command that touches data."""
    command = click.option("--endpoint", envvar="GTKG_ENDPOINT", metavar="URL",
                           help="Use this SPARQL 1.1 endpoint instead of the embedded store "
                                "(env GTKG_ENDPOINT).")(command)
    command = click.option("--store", envvar="GTKG_STORE", metavar="DIR", type=click.Path(file_okay=False),
                           help="Folder of the embedded store (env GTKG_STORE; default .gtkg).")(command)
    return command


def output_option(command):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
                        help="Write to FILE instead of standard output.")(command)


def table_format_option(command):
    return click.option("-f", "--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table",
                        show_default=True, help="Output format.")(command)


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


def write(text: str | bytes, output: str | None) -> None:
    if output:
        from pathlib import Path

        Path(output).parent.mkdir(parents=True, exist_ok=True)
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
            handle.write(text)
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
    else:
        click.echo(text, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gtkg")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def cli(debug):
    """gtkg: the knowledge graph of a grounded-theory study.

    Load field notes and CodeableModels model files, validate the coding, answer the study's
    questions with stored queries and export the graph.

    Example: gtkg build notes/ models/ -o out/

    Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input, usage or failure.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--study", default="study", show_default=True, help="Name of the study (part of every IRI).")
@click.option("--base", default=None, metavar="IRI", help="Base IRI of the study's data.")
@store_options
@handle_errors
def load(paths, study, base, store, endpoint):
    """Load field notes (.md), model files (.py) or RDF files into the store.

    Each file replaces its own named graph; folders are read recursively. Nothing is executed.

    Example: gtkg load notes/ models/sources_and_codes_model.py
    """
    from gtkg.load import load as load_files
    from gtkg.terms import DEFAULT_BASE

    with _progress_bar() as progress:
        summary = load_files(paths, store=store, endpoint=endpoint, study=study, base=base or DEFAULT_BASE,
                             progress=progress)
    click.echo(f"Loaded {summary.files} files: {summary.sources} sources, {summary.codes} codes, "
               f"{summary.excerpts} excerpts, {summary.triples} triples, {summary.diagnostics} diagnostics"
               + (" (see 'gtkg diagnostics')" if summary.diagnostics else ""), err=True)


class _progress_bar:
    """A progress bar on stderr for loads of many files; silent for small ones or when not a terminal."""

    def __enter__(self):
        self.bar = None
        return self.update

    def update(self, done: int, total: int, path: str) -> None:
        if total < 200 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Reading files", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle", show_default=True,
              help="RDF serialization (Turtle and N-Triples merge all graphs; N-Quads, TriG keep them).")
@output_option
@store_options
@handle_errors
def export(fmt, output, store, endpoint):
    """Export the graph (deterministic output: same store, same bytes).

    Example: gtkg export -f trig -o study.trig
    """
    from gtkg.export import export as export_graph

    write(export_graph(store=store, endpoint=endpoint, format=fmt), output)


@cli.command()
@click.argument("query")
@table_format_option
@output_option
@store_options
@handle_errors
def sparql(query, fmt, output, store, endpoint):
    """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT) over all graphs.

    QUERY is the query text, or @FILE to read it from a file.

    Example: gtkg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from gtkg.export import sparql as run_sparql
    from gtkg.formats import Table, render

    if query.startswith("@"):
        with open(query[1:], encoding="utf-8") as handle:
            query = handle.read()
    result = run_sparql(query, store=store, endpoint=endpoint)
    if isinstance(result, Table):
        write(render(result, fmt), output)
    elif isinstance(result, bool):
        write("true\n" if result else "false\n", output)
    else:
        write(result, output)


@cli.command()
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), help="Only this severity.")
@table_format_option
@output_option
@store_options
@handle_errors
def diagnostics(severity, fmt, output, store, endpoint):
    """List what the loads could not read or found defective, with file and line.

    Example: gtkg diagnostics --severity warning -f csv
    """
    from gtkg.formats import render
    from gtkg.queries import run_query

    params = {"severity": severity} if severity else {}
    write(render(run_query("diagnostics", params, store=store, endpoint=endpoint), fmt), output)


@cli.command()
@table_format_option
@handle_errors
def queries(fmt):
    """List the stored queries with their summaries and parameters.

    Example: gtkg queries -f markdown
    """
    from gtkg.formats import Table, render
    from gtkg.queries import catalogue

    rows = [[q.name, q.summary, [_param_text(p) for p in q.params]] for q in catalogue().values()]
    write(render(Table(["name", "summary", "params"], rows), fmt), None)


def _param_text(param) -> str:
    need = "required" if param.required else f"default {param.default}" if param.default else "optional"
    return f"{param.name} ({param.type}, {need})"


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A parameter of the query, bound as an RDF term (repeatable).")
@table_format_option
@output_option
@store_options
@handle_errors
def query(name, params, fmt, output, store, endpoint):
    """Run the stored query NAME ('gtkg queries' lists them).

    Example: gtkg query source-codes -p source s33 -f csv
    """
    from gtkg.formats import render
    from gtkg.queries import run_query

    write(render(run_query(name, dict(params), store=store, endpoint=endpoint), fmt), output)


def main():
    cli(prog_name="gtkg")


if __name__ == "__main__":
    main()
