"""Query results and dumps as gtkg values and bytes, the same way for every backend.

Both backends hand pyoxigraph objects to these functions (the remote one after parsing what the server
sent), so the same content gives the same Table and the same bytes wherever it is stored.
"""

import math
import threading
import time

import pyoxigraph as ox

from gtkg.ontology import XSD


def as_value(result, deadline: float | None = None):
    """A Table for solutions, a bool for a boolean, sorted Turtle bytes for triples.

    Past `deadline` (a time.monotonic() value) reading the results stops with QueryTimeoutError."""
    from gtkg.table import Table

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    items = result if deadline is None else _until(result, deadline)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        return Table(columns, [[to_python(term) for term in solution] for solution in items])
    return ox.serialize(sorted(set(items), key=str), format=ox.RdfFormat.TURTLE)


class _until:
    """Query results that stop (QueryTimeoutError) when read past a deadline; checked every 1,024 items."""

    def __init__(self, results, deadline: float):
        self._results, self._deadline = results, deadline

    def __iter__(self):
        for count, item in enumerate(self._results):
            if not count & 1023 and time.monotonic() > self._deadline:
                raise _expired()
            yield item


def within(timeout: float, run):
    """run(deadline) in a daemon thread; its result, or QueryTimeoutError once `timeout` seconds have passed.

    The caller waits interruptibly (Ctrl-C reaches it). A daemon thread does not keep the process alive, so a
    command that gives up on a query exits at once.
    """
    deadline = time.monotonic() + timeout
    if math.isinf(timeout):
        deadline = math.inf
    outcome: dict = {}
    done = threading.Event()

    def work():
        try:
            outcome["value"] = run(deadline)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            outcome["error"] = _detached(exc)
        finally:
            done.set()

    threading.Thread(target=work, name="gtkg-query", daemon=True).start()
    if not done.wait(None if math.isinf(timeout) else timeout):
        raise _expired(timeout)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _detached(exc: BaseException) -> BaseException:
    """The exception without its traceback and chain (kept as text in a note): their frames hold the engine's
    result iterators, which must be dropped in the thread that made them, not in the caller's."""
    import traceback

    exc.add_note("".join(traceback.format_exception(exc)).rstrip())
    exc.__context__ = exc.__cause__ = None
    return exc.with_traceback(None)


def _expired(timeout: float | None = None):
    from gtkg.errors import QueryTimeoutError

    limit = f"{timeout:g} s" if timeout else "its time limit"
    return QueryTimeoutError(f"the query did not finish within {limit} and was abandoned; raise the limit "
                             "with --timeout SECONDS (0: no limit), or narrow the query")


def ntriples(triples) -> bytes:
    """Triples as N-Triples bytes, the form a store's dump() gives each graph in."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _boolean(text: str) -> bool:
    return text in ("true", "1")


_CONVERTERS = {ox.NamedNode(XSD[name]): convert for names, convert in (
    (("integer", "int", "long", "nonNegativeInteger"), int),
    (("boolean",), _boolean),
    (("decimal", "double", "float"), float),
) for name in names}


def to_python(term):
    """A pyoxigraph term as a plain value: int, float, bool, str (IRIs as their string), or None."""
    kind = term.__class__
    if kind is ox.Literal:
        convert = _CONVERTERS.get(term.datatype)
        return term.value if convert is None else convert(term.value)
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    return None if term is None else term.value
