"""The data's own literals: which ones the store rewrites, and the record that gives them back.

Measured with pyoxigraph 0.5.13, in memory and on disk, through load, bulk_load, extend, SPARQL updates and
the constants of queries alike: literals of the datatypes it computes with are stored as values, so
- every integer type (xsd:byte, xsd:int, xsd:positiveInteger, ...) comes back as xsd:integer, even out of its
  range ("300"^^xsd:byte), and xsd:dateTimeStamp as xsd:dateTime;
- lexical forms come back canonical: "+04" as "4", "4.0"^^xsd:decimal as "4", "1.0"^^xsd:double as "1",
  "1"^^xsd:boolean as "true", "PT60S" as "PT1M", "00:00:00.000+00:00" as "00:00:00Z";
- two triples that differ only in such a form ("5"^^xsd:int and "5"^^xsd:integer) become one;
- plain and language-tagged strings, other datatypes (anyURI, hexBinary, token, ...) and literals whose
  lexical form it cannot read ("c"^^xsd:byte) stay as written. No option turns this off (oxigraph issue 526).
gtkg's own data (plain strings, xsd:integer line numbers, true and false) is never rewritten.

So that an RDF file loaded and exported gives back its own terms, and validation checks those, the graph of
a file that holds literals the store would rewrite gets a record, `<graph> gt:writtenAs "..."` (one triple per
MiB): for each such triple, and each triple the store would merge with one, a line with the triple as stored,
a tab and the triple as written, both in N-Triples. Export puts them back in place of the stored ones
(`restore`, on the text of the dump); validation gives the shapes that read them to pySHACL, on a copy that
holds them (`written`, gtkg.shapes.fallback). SPARQL queries see the stored forms, and the record.

Why a record in the graph, and not a file beside the store: it needs no change to the stores (embedded or
remote), it is replaced and removed with its graph, and it travels with the data (a remote endpoint, the
copy that validation makes of one).

The store relabels blank nodes on every load, so a record names a blank-node subject as `_:any`: its
triples are put back where the predicate and the stored literal match, which the record allows only when the
file wrote one form for them (else the stored form stays).
"""

import re
from collections.abc import Iterable

import pyoxigraph as ox

from gtkg.ontology import GT, RDF, XSD

WRITTEN_AS = ox.NamedNode(GT.writtenAs)
ANY = ox.BlankNode("any")  # any blank-node subject
_ANY = f"{ANY} "
_MARK = str(WRITTEN_AS).encode()
_XSD = str(XSD)
_KEPT = {str(XSD.string), str(RDF.langString)}
_CANONICAL_INTEGER = re.compile(r"-?[1-9][0-9]*|0")
CHUNK = 1 << 20  # characters of record per triple: pyoxigraph's bulk load reads lines of up to 16 MiB


def may_change(term) -> bool:
    """Whether the store may rewrite this object (fast for gtkg's own canonical integers and booleans)."""
    if term.__class__ is not ox.Literal:
        return False
    datatype = term.datatype.value
    if not datatype.startswith(_XSD) or datatype in _KEPT:
        return False
    if datatype == XSD.integer:
        return not _CANONICAL_INTEGER.fullmatch(term.value)
    return datatype != XSD.boolean or term.value not in ("true", "false")


_TYPED_OBJECT = re.compile(r'"((?:[^"\\]|\\.)*)"\^\^<' + re.escape(_XSD) + r'(\w+)> \.$')


def may_merge(ntriples_line: str) -> bool:
    """Whether a server that stores values (as Oxigraph and Virtuoso do) may merge this N-Triples line with
    another of the same triple written otherwise ("4.0" and "4"): its object is an XSD literal the store may
    rewrite. Fast: most lines end with an IRI, a plain string or one of gtkg's canonical integers.

    >>> may_merge('<a:s> <a:p> "4.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .')
    True
    >>> may_merge('<a:s> <a:p> "12"^^<http://www.w3.org/2001/XMLSchema#integer> .'), may_merge('<a:s> <a:p> "x" .')
    (False, False)
    """
    if not ntriples_line.endswith('> .'):
        return False
    match = _TYPED_OBJECT.search(ntriples_line)
    if match is None:
        return False
    lexical, datatype = match.groups()
    if datatype == "integer":
        return not _CANONICAL_INTEGER.fullmatch(lexical)
    return datatype != "string" and (datatype != "boolean" or lexical not in ("true", "false"))


def held(literals: Iterable) -> dict:
    """Each literal -> the literal the store holds for it (itself, when the store keeps it as written)."""
    literals = list(dict.fromkeys(literals))
    scratch = ox.Store()
    scratch.load("\n".join(f"<urn:gtkg:{n}> {WRITTEN_AS} {literal} ." for n, literal in enumerate(literals)),
                 format=ox.RdfFormat.N_TRIPLES)
    return {literals[int(quad.subject.value[9:])]: quad.object for quad in scratch}


def as_stored(triples: list) -> list:
    """Triples with their literals as the embedded store holds them, for triples read from a server that writes
    values its own way (Virtuoso: "5"^^xsd:int where pyoxigraph holds "5"^^xsd:integer, "1" for true); fast
    when no literal may change."""
    changing = [t.object for t in triples if may_change(t.object)]
    if not changing:
        return triples
    stored = held(changing)
    return list(dict.fromkeys(t if t.object not in stored else ox.Triple(t.subject, t.predicate, stored[t.object])
                              for t in triples))


def _key(subject, predicate, stored) -> tuple:
    return (ANY if isinstance(subject, ox.BlankNode) else subject, predicate, stored)


# ---------------------------------------------------------------------------------------------- loading

def records(literals: list) -> dict[str, list[str]]:
    """Graph IRI -> the N-Quads lines of its record, for the graphs whose literals the store would rewrite.

    `literals` holds (graph IRI, quad) for each quad of a file whose object is a literal; one quick pass
    over them when none may change. A record's text has a line per triple as written: the N-Triples of the
    triple the store holds, a tab, the N-Triples of the triple as written (N-Triples has no raw tabs); a long
    record is cut into several triples (pyoxigraph reads lines of up to 16 MiB)."""
    candidates = [(graph, q.subject, q.predicate, o) for graph, q in literals if may_change(o := q.object)]
    if not candidates:
        return {}
    stored = held(row[3] for row in candidates)
    changed = {(graph, *_key(s, p, stored[o])) for graph, s, p, o in candidates if stored[o] != o}
    if not changed:
        return {}
    pairs = {key[:3] for key in changed}  # the triples that may merge with a changed one share these
    near = [(graph, *_key(q.subject, q.predicate, q.object)) for graph, q in literals]
    near = [row for row in near if row[:3] in pairs]
    stored |= held(row[3] for row in near if row[3] not in stored)
    members: dict = {}
    for graph, subject, predicate, obj in near:
        key = (graph, subject, predicate, stored[obj])
        if key in changed:
            members.setdefault(key, {}).setdefault(obj, None)
    lines: dict = {}
    for (graph, subject, predicate, held_as), objects in members.items():
        if subject == ANY and len(objects) > 1:
            continue  # blank nodes with two written forms of one stored triple: which was where is lost
        lines.setdefault(graph, []).extend(f"{subject} {predicate} {held_as} .\t{subject} {predicate} {obj} .\n"
                                           for obj in objects)
    return {graph: [f"<{graph}> {WRITTEN_AS} {ox.Literal(chunk)} <{graph}> ." for chunk in _chunks(text)]
            for graph, text in lines.items()}


def _chunks(lines: list[str]):
    chunk, length = [], 0
    for line in lines:
        if length + len(line) > CHUNK and chunk:
            yield "".join(chunk)
            chunk, length = [], 0
        chunk.append(line)
        length += len(line)
    yield "".join(chunk)


# ---------------------------------------------------------------------------------------------- reading

def _groups(texts: list[str]) -> dict[str, list[str]]:
    """A record's texts -> {stored triple: [triples as written]}, as N-Triples lines."""
    groups: dict = {}
    for line in "\n".join(texts).split("\n"):
        if "\t" in line:
            stored, as_written = line.split("\t", 1)
            groups.setdefault(stored, []).append(as_written)
    return groups


def restore(ntriples: bytes) -> bytes:
    """One graph's N-Triples, as the store dumps it, with the triples its record covers back as written and
    the record itself left out; unchanged (and not parsed) when the graph has no record."""
    if _MARK not in ntriples:
        return ntriples
    lines = set(ntriples.split(b"\n"))
    texts = []
    for line in [line for line in lines if _MARK in line]:
        [quad] = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
        if quad.predicate == WRITTEN_AS and isinstance(quad.object, ox.Literal):
            lines.discard(line)
            texts.append(quad.object.value)
    blank: dict = {}  # for the records of blank-node subjects: a line without its subject -> lines
    for stored, as_written in _groups(texts).items():
        if stored.startswith(_ANY):
            if not blank:
                for other in lines:
                    if other.startswith(b"_:"):
                        blank.setdefault(other.split(b" ", 1)[1], []).append(other)
            found = blank.get(stored.encode()[len(_ANY):], [])
        else:
            found = [stored.encode()] if stored.encode() in lines else []
        for held_line in found:
            lines.discard(held_line)
            subject = held_line.split(b" ", 1)[0]
            lines.update(subject + line[line.index(b" "):] for line in map(str.encode, as_written))
    return b"\n".join(sorted(line for line in lines if line)) + b"\n"


def written(db: ox.Store) -> dict[str, list[tuple]]:
    """Graph IRI -> (stored triple, [triples as written]) for each stored triple of that graph that its
    record covers: the store holds the first, the file wrote the others."""
    texts: dict = {}
    for quad in db.quads_for_pattern(None, WRITTEN_AS, None, None):
        if quad.graph_name == quad.subject and isinstance(quad.object, ox.Literal):
            texts.setdefault(quad.graph_name, []).append(quad.object.value)
    found = {}
    for graph, text in texts.items():
        groups = _groups(text)
        as_written = _triples(line for lines in groups.values() for line in lines)
        found[graph.value] = [pair for stored, lines in zip(_triples(groups), groups.values(), strict=True)
                              for pair in _in_store(db, graph, stored, [next(as_written) for _ in lines])]
    return found


def _triples(lines):
    """N-Triples lines -> their triples, in order."""
    return (quad.triple for quad in ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES))


def _in_store(db: ox.Store, graph, held_triple: ox.Triple, as_written: list) -> list[tuple]:
    if held_triple.subject != ANY:
        return [(held_triple, as_written)] if ox.Quad(*held_triple, graph) in db else []
    return [(ox.Triple(q.subject, q.predicate, q.object), [ox.Triple(q.subject, t.predicate, t.object)
                                                           for t in as_written])
            for q in db.quads_for_pattern(None, held_triple.predicate, held_triple.object, graph)
            if isinstance(q.subject, ox.BlankNode)]
