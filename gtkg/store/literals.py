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
a file that holds literals the store would rewrite gets one more triple, `<graph> gt:writtenAs "..."`: the
N-Triples of those triples as the file wrote them, with the triples the store would merge with them. Export
puts them back in place of the stored ones (`restore`); validation gives the shapes that read them to
pySHACL, on a copy that holds them (`written`, gtkg.shapes.fallback). SPARQL queries see the stored forms.

The store relabels blank nodes on every load, so a record names a blank-node subject as `_:any`: its
triples are put back where the predicate and the stored literal match, which the record allows only when the
file wrote one form for them (else the stored form stays).
"""

import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from gtkg.ontology import GT, RDF, XSD

WRITTEN_AS = ox.NamedNode(GT.writtenAs)
ANY = ox.BlankNode("any")  # any blank-node subject
_MARK = str(WRITTEN_AS).encode()
_XSD = str(XSD)
_KEPT = {str(XSD.string), str(RDF.langString)}
_CANONICAL_INTEGER = re.compile(r"-?[1-9][0-9]*|0")


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


def held(literals: Iterable) -> dict:
    """Each literal -> the literal the store holds for it (itself, when the store keeps it as written)."""
    literals = list(dict.fromkeys(literals))
    scratch = ox.Store()
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:gtkg:{n}"), WRITTEN_AS, literal) for n, literal in enumerate(literals))
    return {literals[int(quad.subject.value[9:])]: quad.object for quad in scratch}


def _key(subject, predicate, stored) -> tuple:
    return (ANY if isinstance(subject, ox.BlankNode) else subject, predicate, stored)


# ---------------------------------------------------------------------------------------------- loading

def records(quads: list, graph_of: Callable) -> dict[str, str]:
    """Graph IRI -> the N-Quads line of its record, for the graphs (`graph_of(quad)`) whose literals the store
    would rewrite. One pass over `quads` when none may change."""
    candidates = [q for q in quads if may_change(q.object)]
    if not candidates:
        return {}
    stored = held(q.object for q in candidates)
    changed = {(graph_of(q), *_key(q.subject, q.predicate, stored[q.object])) for q in candidates
               if stored[q.object] != q.object}
    if not changed:
        return {}
    pairs = {key[:3] for key in changed}
    near = [(graph_of(q), q) for q in quads if isinstance(q.object, ox.Literal)
            and (graph_of(q), *_key(q.subject, q.predicate, None)[:2]) in pairs]
    stored |= held(q.object for _, q in near)
    members: dict = {}
    for graph, q in near:
        key = (graph, *_key(q.subject, q.predicate, stored[q.object]))
        if key in changed:
            members.setdefault(key, {}).setdefault(q.object, None)
    lines: dict = {}
    for (graph, subject, predicate, _), objects in members.items():
        if subject == ANY and len(objects) > 1:
            continue  # blank nodes with two written forms of one stored triple: which was where is lost
        lines.setdefault(graph, []).extend(f"{subject} {predicate} {obj} .\n" for obj in objects)
    return {graph: f"<{graph}> {WRITTEN_AS} {ox.Literal(''.join(text))} <{graph}> ." for graph, text in lines.items()}


# ---------------------------------------------------------------------------------------------- reading

def _entries(text: str) -> dict:
    """A record's text -> {(subject or ANY, predicate, stored literal): [written literals]}."""
    triples = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    stored = held(t.object for t in triples)
    entries: dict = {}
    for t in triples:
        entries.setdefault(_key(t.subject, t.predicate, stored[t.object]), []).append(t.object)
    return entries


def _resolve(entries: dict, contains: Callable, blank_subjects: Callable) -> list[tuple]:
    """(stored triple, [written triples]) for each entry whose stored triple is (still) there."""
    found = []
    for (subject, predicate, stored), objects in entries.items():
        if subject == ANY:
            subjects = blank_subjects(predicate, stored)
        else:
            subjects = [subject] if contains(ox.Triple(subject, predicate, stored)) else []
        found += [(ox.Triple(s, predicate, stored), [ox.Triple(s, predicate, o) for o in objects]) for s in subjects]
    return found


def written(db: ox.Store) -> dict[str, list[tuple]]:
    """Graph IRI -> (stored triple, [triples as written]) for each stored triple that a record of the store
    covers: the store holds the first, the file wrote the others."""
    found = {}
    for quad in db.quads_for_pattern(None, WRITTEN_AS, None, None):
        graph = quad.graph_name
        if graph != quad.subject or not isinstance(quad.object, ox.Literal):
            continue
        found[graph.value] = _resolve(
            _entries(quad.object.value), lambda t, g=graph: ox.Quad(t.subject, t.predicate, t.object, g) in db,
            lambda p, o, g=graph: [q.subject for q in db.quads_for_pattern(None, p, o, g)
                                   if isinstance(q.subject, ox.BlankNode)])
    return found


def restore(ntriples: bytes) -> bytes:
    """One graph's N-Triples, as the store dumps it, with the triples its record covers back as written and
    the record itself left out; unchanged (and not parsed) when the graph has no record."""
    if _MARK not in ntriples:
        return ntriples
    triples = {quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)}
    for record in [t for t in triples if t.predicate == WRITTEN_AS and isinstance(t.object, ox.Literal)]:
        triples.discard(record)
        by_object: dict = {}
        for t in triples:
            if isinstance(t.subject, ox.BlankNode) and isinstance(t.object, ox.Literal):
                by_object.setdefault((t.predicate, t.object), []).append(t.subject)
        for stored, as_written in _resolve(_entries(record.object.value), triples.__contains__,
                                           lambda p, o, index=by_object: index.get((p, o), [])):
            triples.discard(stored)
            triples.update(as_written)
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
