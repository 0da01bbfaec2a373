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
