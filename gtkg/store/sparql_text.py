"""What a SPARQL text asks for, read from its tokens without a parser: its form, a SERVICE, a FROM.

Strings, IRIs and comments are skipped first, so a keyword inside them does not count.

>>> query_form("#+ summary: what loads\\nPREFIX gt: <https://w3id.org/gtkg/ontology#> # a comment\\nask {}")
'ASK'
>>> uses_service('SELECT * WHERE { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }')
True
>>> uses_service('SELECT ?service WHERE { ?s <http://x/SERVICE> "SERVICE" . ?s ex:service ?service }')
False
>>> names_dataset("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }"), names_dataset("SELECT ?from WHERE { ?from ?p ?o }")
(True, False)
"""

import re

from gtkg.errors import QueryError

_SKIPPED = re.compile(r"""<[^<>"{}|^`\\\x00-\x20]*>|"{3}.*?"{3}|'{3}.*?'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
                      r"|#[^\n]*", re.DOTALL)
_FORM = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b",
                   re.IGNORECASE)
_UPDATE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
# A keyword is a word not glued to a prefix, a variable sign or a local name.
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:.-])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$.-])FROM(?![\w:.-])", re.IGNORECASE)


def _code(text: str) -> str:
    """The text with IRIs and strings blanked (kept as `<>` and `""`) and comments removed."""
    return _SKIPPED.sub(lambda m: " " if m.group(0).startswith("#") else m.group(0)[0] * 2, text)


def refuse_update(text: str) -> None:
    """Raise, saying how gtkg changes the graph, when the text is a SPARQL update."""
    if _UPDATE.match(_prologue_kept(text)):
        raise QueryError("gtkg only reads with SPARQL: this is an update; load files with 'gtkg load' "
                         "(and remove them with 'gtkg remove')")


def _prologue_kept(text: str) -> str:
    return _SKIPPED.sub(lambda m: " " if m.group(0).startswith("#") else m.group(0), text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after comments and the prologue."""
    refuse_update(text)
    match = _FORM.match(_prologue_kept(text))
    if match is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prefixes "
                         "(gtkg changes the graph only through 'gtkg load')")
    return match.group(1).upper()


def uses_service(text: str) -> bool:
    """Whether the query calls another endpoint (a SERVICE clause), which makes the engine fetch a URL."""
    return bool(_SERVICE.search(_code(text)))


def names_dataset(text: str) -> bool:
    """Whether the query chooses its own dataset with FROM or FROM NAMED."""
    return bool(_FROM.search(_code(text)))


def refuse_service(text: str) -> None:
    """Raise unless the query is free of SERVICE clauses."""
    if uses_service(text):
        raise QueryError("the query has a SERVICE clause, which would make gtkg fetch another URL; gtkg refuses "
                         "federated queries unless you allow them (--allow-service)")


def utf8(text: str, what: str) -> None:
    """Raise unless `text` is valid Unicode (a command-line argument of non-UTF-8 bytes is not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryError(f"{what} holds bytes that are not UTF-8 (at character {exc.start + 1}); write it in "
                         "UTF-8") from exc


_POSITION = re.compile(r"error at (\d+):(\d+)")
_EXPECTED = re.compile(r"expected (?:one of )?(.*)", re.DOTALL)


def syntax_error(text: str, message: str, prefixes: dict | None = None) -> str:
    """The engine's syntax error as one line: where, what it expected (long lists of character ranges cut),
    and for an undeclared prefix which one and how to declare it.

    >>> syntax_error("SELECT * WHERE { ?s a foo:Bar }", "error at 1:30: expected one of Prefix not found", {})
    'SPARQL syntax error at line 1, column 30: the prefix foo: is not declared; add PREFIX foo: <...> to the query'
    """
    where = _POSITION.search(message)
    at = f" at line {where.group(1)}, column {where.group(2)}" if where else ""
    if "Prefix not found" in message and where:
        line = text.split("\n")[int(where.group(1)) - 1]
        name = _prefix_before(line, int(where.group(2)) - 1)
        if name is not None:
            declared = ", ".join(f"{p}:" for p in prefixes or ())
            return (f"SPARQL syntax error{at}: the prefix {name}: is not declared; add PREFIX {name}: <...> to the "
                    f"query" + (f" (gtkg declares {declared})" if declared else ""))
    expected = _EXPECTED.search(message)
    detail = " ".join((expected.group(0) if expected else message.split("\n")[0]).split())
    return f"SPARQL syntax error{at}: {detail if len(detail) <= 160 else detail[:159] + '…'}"


def _prefix_before(line: str, column: int) -> str | None:
    """The prefix of the prefixed name that ends where the engine stopped (`foo` in `foo:Bar`)."""
    names = re.findall(r"([A-Za-z][\w.-]*)?:", line[: column + 1])
    return names[-1] if names else None


_DECLARED = re.compile(r"PREFIX\s+([\w.-]*):", re.IGNORECASE)
_USED = re.compile(r"(?<![\w?$.-])([A-Za-z][\w.-]*):")


def with_prefixes(text: str, prefixes: dict) -> str:
    """The query with PREFIX declarations for the given prefixes it uses without declaring them, on its first
    line (a query that needs none is sent as it is, so that positions in a server's errors are its own).

    >>> with_prefixes("PREFIX gt: <urn:mine#> SELECT * { ?s a gt:X ; rdfs:label ?l }", {"gt": "g#", "rdfs": "r#"})
    'PREFIX rdfs: <r#> PREFIX gt: <urn:mine#> SELECT * { ?s a gt:X ; rdfs:label ?l }'
    """
    code = _code(text)
    declared = set(_DECLARED.findall(code))
    used = set(_USED.findall(code))
    missing = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()
                       if name in used and name not in declared)
    return f"{missing} {text}" if missing else text
