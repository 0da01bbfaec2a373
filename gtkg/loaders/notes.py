"""Field notes (Markdown, one file per source): `parse` text into records, `emit` records as quads.

>>> notes = parse("# s\\n7\\n## title\\nA talk\\n# coding\\n> quoted\\n\\n**OPEN CODING TRACE:**\\n"
...               "Familiar options: rest_apis\\n", "s_7.md")
>>> notes.source_id, notes.header["title"], [e.text for e in notes.excerpts]
('s7', ('A talk', 4), ['quoted'])
>>> [(t.kind, t.excerpts, t.mentions) for t in notes.traces]
[('open', [0], ['rest_apis'])]
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from gtkg.loaders import Graph, InputFile, Study, decode
from gtkg.loaders.codeable import Env, interpret_text
from gtkg.loaders.codeable.listings import recover_list
from gtkg.loaders.emit import FileEmitter
from gtkg.loaders.records import INFO, MAX_TEXT, WARNING, Diagnostic, Fragment, Listing
from gtkg.ontology import GT, REFERENCE_ATTRIBUTES

HEADER_FIELDS = ("url", "tiny url", "archive url", "title", "source code", "example", "source type",
                 "author type", "references")
# Possessive blanks (\s*+): a run of blanks is never split between two patterns, which on a long run that
# fails to match would try every split (quadratic in the run).
SOURCE_HEADING = re.compile(r"^#\s*([sp])\s*$", re.IGNORECASE)
TRACE_MARKER = re.compile(r"^\s*+\*\*\s*+(OPEN|AXIAL)\s++CODING\s++TRACE\s*+:?\s*+\*\*\s*+:?\s*+(.*)$",
                          re.IGNORECASE)
FENCE = re.compile(r"^\s*+(`{3,}+)\s*+([\w+-]*+)\s*+$")
LABELLED = re.compile(
    r"^\s*+(?:[-*+]\s*+)?(?:<ins>)?\s*+(familiar options|familiar forces|new options|new forces|new decisions?|"
    r"options?(?:\s*+\((?:practice|pattern)\))?|forces?|decisions?|context|comments?)\s*+:\s*+(?:</ins>)?\s*+(.*)$",
    re.IGNORECASE)
IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
CODING_HEADING = re.compile(r"^#\s*coding\s*$", re.IGNORECASE)
FILE_NUMBER = re.compile(r"^([sp])_(\d+)\.md$", re.IGNORECASE)
NOT_A_NOTE = "Markdown file(s) without a '# s' or '# p' heading (not field notes)"
FENCE_CLOSE = re.compile(r"^\s*`{3,}\s*$")
NUMBER = re.compile(r"\d+")
SEPARATOR = re.compile(r"[,;]")
QUOTE_MARK = re.compile(r"^\s*>\s?")
URL_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
SPACED_ASSIGNMENT = re.compile(r"\s*+([A-Za-z_]\w*+(?:[ \t]++\w++){1,3})[ \t]*+=[^=]")
# Headings, trace markers, fences and quotes all start (after blanks) with one of these; most lines don't.
MARKUP_STARTS = frozenset("#*`>")


@dataclass
class Excerpt:
    line: int
    end_line: int
    text: str
    start: int  # character offsets of the quoted text in the file, for oa:TextPositionSelector
    end: int


@dataclass
class Fence:
    line: int  # line of the opening backticks
    text: str
    intro: str  # the prose line before it, e.g. "add codes to s33:"
    fragment: Fragment | None = None


@dataclass
class Trace:
    kind: str  # "open" or "axial"
    line: int
    end_line: int
    text: str = ""
    excerpts: list = field(default_factory=list)  # indices into Notes.excerpts
    labelled: list = field(default_factory=list)  # (label, value, line)
    mentions: list = field(default_factory=list)  # identifier-shaped values of labelled lines
    fences: list = field(default_factory=list)


@dataclass
class Notes:
    path: str
    source_id: str | None = None
    source_line: int | None = None
    heading: bool = False  # a '# s' or '# p' heading was found (with or without its number)
    header: dict = field(default_factory=dict)  # field -> (value, line)
    source_block: Fragment | None = None
    excerpts: list = field(default_factory=list)
    traces: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)

    def declared_sources(self) -> dict:
        """Variable -> source id of the sources the note's own source block declares (`s33 = CClass(source,
        "s33", ...)`), so its snippets can name the source by its variable."""
        block = self.source_block
        return {d.var: d.label or d.var for d in (block.declarations if block else ()) if d.metaclass == "source"}


def parse(text: str, path: str) -> Notes:
    """Read one field-notes file; never raises on content, reports what it cannot read."""
    return _Parser(text, path).run()


class _Parser:
    def __init__(self, text: str, path: str):
        self.lines = text.split("\n")
        self.offsets = [0, *accumulate(len(line) + 1 for line in self.lines)]  # where each line starts
        self.notes = Notes(path)
        self.env = Env()
        self.i = 0
        self.in_body = False
        self.trace: Trace | None = None
        self.trace_parts: list[str] = []  # the trace's text, joined once it is finished
        self.mentioned: set[str] = set()
        self.group: list[int] = []  # excerpts waiting for the trace that codes them
        self.group_closed = False
        self.intro = ""
        self.next_close = _NextLine(self.lines, FENCE_CLOSE.match)
        self.next_boundary = _NextLine(self.lines, _ends_unclosed_fence)
        self.leave_out_long_lines()

    def leave_out_long_lines(self) -> None:
        if max(map(len, self.lines)) <= MAX_TEXT:
            return
        for i, line in enumerate(self.lines):
            if len(line) > MAX_TEXT:
                self.note(i + 1, "long-line", f"line is {_mib(len(line))} long, over the {_mib(MAX_TEXT)} gtkg reads "
                          "in a line (an embedded image? a pasted dump?); left out; shorten or split it to have it "
                          "read", WARNING, text=line[:80])
                self.lines[i] = ""

    def cut(self, text: str, line: int, what: str) -> str:
        if len(text) <= MAX_TEXT:
            return text
        self.note(line, "long-text", f"{what} is {_mib(len(text))} long; only its first {_mib(MAX_TEXT)} is kept as "
                  "its text; split it", WARNING)
        return text[:MAX_TEXT]

    def run(self) -> Notes:
        while self.i < len(self.lines):
            self.step(self.lines[self.i])
        self.finish_trace()
        self.resolve_source_id()
        return self.notes

    def step(self, line: str) -> None:
        stripped = line.strip()
        if not stripped or stripped[0] not in MARKUP_STARTS:
            return self.plain_line(line)
        if not self.in_body and SOURCE_HEADING.match(line):
            return self.source_number()
        if not self.in_body and line.startswith("##") and (name := line[2:].strip().lower()) in HEADER_FIELDS:
            return self.header_field(name)
        if CODING_HEADING.match(stripped):
            self.finish_trace()
            self.in_body = True
            self.i += 1
            return
        if m := TRACE_MARKER.match(line):
            return self.start_trace(m.group(1).lower())
        if FENCE.match(line):
            return self.fence()
        if stripped.startswith(">") and self.in_body:
            return self.excerpt()
        self.plain_line(line)

    def plain_line(self, line: str) -> None:
        if self.trace is not None:
            self.trace_line(line)
        self.i += 1

    def source_number(self) -> None:
        self.notes.heading = True
        prefix = self.lines[self.i].strip().lstrip("#").strip().lower()
        self.i += 1
        while self.i < len(self.lines) and not self.lines[self.i].strip():
            self.i += 1
        if self.i < len(self.lines) and NUMBER.fullmatch(self.lines[self.i].strip()):
            self.notes.source_id = prefix + self.lines[self.i].strip()
            self.notes.source_line = self.i + 1
            self.i += 1

    def header_field(self, name: str) -> None:
        start = self.i + 1
        self.i += 1
        values = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.startswith("#") or TRACE_MARKER.match(line) or FENCE.match(line):
                break
            if line.strip():
                values.append(line.strip())
            self.i += 1
        if values:
            self.notes.header[name] = (self.cut("\n".join(values), start + 1, f"header '{name}'"), start + 1)

    def start_trace(self, kind: str) -> None:
        self.finish_trace()
        self.open_trace(Trace(kind, self.i + 1, self.i + 1, excerpts=list(self.group)))
        self.group_closed = True
        self.intro = ""
        self.i += 1

    def open_trace(self, trace: Trace) -> None:
        self.trace, self.trace_parts, self.mentioned = trace, [], set()

    def trace_line(self, line: str) -> None:
        trace = self.trace
        trace.end_line = self.i + 1
        self.trace_parts.append(line + "\n")
        if line.strip():
            self.intro = line.strip()
        if trace.kind == "open" and (m := LABELLED.match(line)):
            label, value = m.group(1).strip().lower(), m.group(2).strip()
            trace.labelled.append((label, value, self.i + 1))
            for token in SEPARATOR.split(value):
                token = token.strip().strip("`*").strip()
                if IDENTIFIER.match(token) and token not in self.mentioned:
                    self.mentioned.add(token)
                    trace.mentions.append(token)

    def fence(self) -> None:
        opening = self.i
        ticks = FENCE.match(self.lines[opening]).group(1)
        end = self.next_close.at_or_after(opening + 1)
        closed = end < len(self.lines)
        if not closed:  # most likely it ends before the next quote, trace marker or heading
            end = self.next_boundary.at_or_after(opening + 1)
        body = "\n".join(self.lines[opening + 1:end])
        fence = Fence(opening + 1, body, self.intro)
        if len(ticks) > 3:
            self.note(opening + 1, "fence", f"fence opens with {len(ticks)} backticks; read as a code fence", INFO)
        if not closed:
            self.note(opening + 1, "unclosed-fence", f"code fence is never closed; read up to line {end}; "
                      "add the closing ``` to be sure", WARNING)
        if self.trace is None and not self.in_body:
            self.open_trace(Trace("axial", opening + 1, opening + 1))
        if self.trace is not None:
            fence.fragment = interpret_text(body, opening + 2, self.env)
            _recover_lists(fence.fragment)
            self.trace.fences.append(fence)
            self.trace_parts.append("\n".join(self.lines[opening:end + 1]) + "\n")
            self.trace.end_line = min(end + 1, len(self.lines))
            if not self.in_body and self.notes.source_block is None:
                self.notes.source_block = fence.fragment
        else:
            self.note(opening + 1, "stray-fence", "code fence outside any coding trace (code quoted from the "
                      "source?); kept as text, not read as coding", INFO, text=body)
        self.i = end + 1 if closed else end

    def excerpt(self) -> None:
        self.finish_trace()
        if self.group_closed:
            self.group, self.group_closed = [], False
        start = self.i
        parts = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if not line.strip() or TRACE_MARKER.match(line) or FENCE.match(line) or line.startswith("#") \
                    or line.lstrip().startswith("!["):
                break
            parts.append(QUOTE_MARK.sub("", line) if line.lstrip().startswith(">") else line)
            self.i += 1
        text = "\n".join(parts).strip()
        if text:
            first = start + 1
            char_start = self.offsets[start]
            text = self.cut(text, first, "this quote")
            self.notes.excerpts.append(Excerpt(first, self.i, text, char_start, self.offsets[self.i] - 1))
            self.group.append(len(self.notes.excerpts) - 1)

    def finish_trace(self) -> None:
        if self.trace is not None:
            self.trace.text = self.cut("".join(self.trace_parts).strip("\n"), self.trace.line, "this coding trace")
            if self.in_body or self.trace.fences:
                self.notes.traces.append(self.trace)
            self.trace = None

    def resolve_source_id(self) -> None:
        notes = self.notes
        m = FILE_NUMBER.match(notes.path.rsplit("/", 1)[-1])
        from_name = (m.group(1).lower() + m.group(2)) if m else None
        if notes.source_id is None and from_name:
            notes.source_id = from_name
            self.note(1, "missing-source-number", f"no '# s' / '# p' heading with a number; using {from_name} "
                      "from the file name", WARNING)
        elif notes.source_id and from_name and notes.source_id != from_name:
            block = [d.label for d in (notes.source_block.declarations if notes.source_block else [])
                     if d.metaclass == "source"]
            chosen = from_name if from_name in block else notes.source_id
            self.note(notes.source_line, "source-number-mismatch", f"heading says {notes.source_id} but the "
                      f"file name says {from_name}" + (" and so does the CClass(source) block" if chosen ==
                      from_name else "") + f"; loaded as {chosen}; fix the heading", WARNING)
            notes.source_id = chosen
        if notes.source_id is None:
            self.note(1, "no-source", "no source number (an empty template?); nothing but this note is loaded",
                      INFO)
            notes.excerpts, notes.traces, notes.source_block = [], [], None
        for trace in notes.traces:
            for fence in trace.fences:
                notes.diagnostics.extend(fence.fragment.diagnostics)

    def note(self, line, problem, message, severity, text=""):
        self.notes.diagnostics.append(Diagnostic(line or 1, problem, message, severity, text[:MAX_TEXT]))


def _recover_lists(fragment: Fragment) -> None:
    """The parts of a fence that do not parse but hold only a list of names (an unclosed quote or bracket, a
    name with spaces): their names are listed, each at its line, and the diagnostic says what was read."""
    kept = []
    for diag in fragment.diagnostics:
        found = recover_list(diag.text, diag.line) if diag.problem == "unreadable-snippet" else None
        if found is None:
            if diag.problem == "unreadable-snippet" and (m := SPACED_ASSIGNMENT.match(diag.text)):
                diag.message += f" (a variable with spaces in its name? write {m.group(1).replace(' ', '_')})"
            kept.append(diag)
            continue
        if found.names:
            fragment.listings.append(Listing(found.names, diag.line, found.lines))
            kept.append(Diagnostic(diag.line, "recovered-code-list", f"this code list is not valid Python (an "
                                   f"unclosed quote or bracket?); its {len(found.names)} name(s) are read: "
                                   f"{', '.join(found.names)}; fix the quotes to be sure", INFO, diag.text,
                                   diag.end_line))
        kept += [Diagnostic(line, problem, message, WARNING, diag.text.split("\n")[line - diag.line].strip())
                 for line, problem, message in found.problems]
    fragment.diagnostics[:] = kept


def _mib(chars: int) -> str:
    return f"{chars / (1 << 20):.1f} MiB"


def _ends_unclosed_fence(line: str) -> bool:
    """Whether an unclosed fence most likely ends before this line: a quote, an image, a marker, a heading."""
    return line.lstrip().startswith((">", "![")) or line.startswith("##") or bool(TRACE_MARKER.match(line)) \
        or bool(CODING_HEADING.match(line))


class _NextLine:
    """The first line at or after a given one that matches, for searches that move forward: each line is
    looked at once in all, however many fences search (a search to the end per fence was quadratic)."""

    def __init__(self, lines: list[str], matches):
        self.lines, self.matches = lines, matches
        self.start, self.found = 1, 0  # the last search: from start, found (len(lines): none); none yet

    def at_or_after(self, start: int) -> int:
        if not self.start <= start <= self.found:
            found = next((j for j in range(start, len(self.lines)) if self.matches(self.lines[j])), len(self.lines))
            self.start, self.found = start, found
        return self.found


# ---------------------------------------------------------------------------------------------- emit

def read(files: list[InputFile], study: Study) -> Iterator[Graph]:
    """Each notes file, parsed and emitted into its own graph."""
    for f in files:
        data = f.read()
        text, note = decode(data)
        notes = parse(text, f.key)
        if not notes.heading and not FILE_NUMBER.match(f.key):
            yield Graph(study.minter.file(f.key), [], f, skipped=NOT_A_NOTE)
            continue
        if note:
            notes.diagnostics.insert(0, note)
        out = FileEmitter(study.minter, f.key, "notes", hashlib.sha256(data).hexdigest(),
                          sources={**study.sources, **notes.declared_sources()})
        counts = emit(notes, out)
        yield Graph(out.file, out.out.lines, f, counts["sources"], counts["codes"], counts["excerpts"],
                    out.count("diagnostic"))


def emit(notes: Notes, out: FileEmitter) -> dict:
    """Write the records of one notes file; returns counts for the load summary."""
    source = out.source(notes.source_id) if notes.source_id else None
    if source is not None:
        _emit_header(notes, out, source)
    excerpts = [out.excerpt(excerpt, source) for excerpt in notes.excerpts]
    codes = set()
    for trace in notes.traces:
        codes |= _emit_trace(trace, out, source, excerpts, in_header=trace.fences and
                             trace.fences[0].fragment is notes.source_block)
    for diag in notes.diagnostics:
        out.diagnostic(diag)
    return {"sources": {notes.source_id} if source else set(), "codes": codes, "excerpts": len(excerpts)}


def _emit_header(notes: Notes, out, source) -> None:
    record = out.located("decl", GT.Declaration, notes.source_line)
    out.add(record, GT.declares, source)
    values = {name: _header_value(name, value) for name, (value, _line) in notes.header.items()}
    out.metadata(source, values, notes.source_line or 1)
    for name, (_value, line) in notes.header.items():  # where each value is written, for the findings about it
        field_record = out.located("decl", GT.Declaration, line)
        out.add(field_record, GT.declares, source)
        out.add(field_record, REFERENCE_ATTRIBUTES[name], values[name])
    for diag in _disagreements(notes, values):
        out.diagnostic(diag)


def _header_value(name: str, value: str):
    if name in ("source code", "example") and value.strip().lower() in ("yes", "no", "true", "false"):
        return value.strip().lower() in ("yes", "true")
    return value


def _disagreements(notes: Notes, header_values: dict):
    """The header and the CClass(source) block of one note disagreeing, each with both values and lines."""
    block = notes.source_block
    decls = [d for d in (block.declarations if block else []) if d.metaclass == "source"]
    path, source = notes.path.rsplit("/", 1)[-1], notes.source_id
    for decl in decls:
        if decl.label and source and decl.label != source:
            yield Diagnostic(notes.source_line or 1, "metadata-disagreement", f"{source} id: {source!r} ({path}:"
                             f"{notes.source_line}) vs {decl.label!r} ({path}:{decl.line}); make the heading and the "
                             "CClass(source) block agree", WARNING, text=source, about=source, other_line=decl.line,
                             other_value=decl.label)
        for key, value in decl.values.items():
            name = "source type" if key == "type" else key
            if name not in header_values:
                continue
            header, code = header_values[name], value.strip() if isinstance(value, str) else value
            if not same_value(name, header, code) and not (header in ("", None) and code in ("", None)):
                line = notes.header[name][1]
                yield Diagnostic(line, "metadata-disagreement", f"{source} {name}: {header!r} ({path}:{line}) vs "
                                 f"{code!r} ({path}:{decl.line}); make the header and the CClass(source) block "
                                 "agree (both are kept)", WARNING, text=str(header), about=source,
                                 other_line=decl.line, other_value=str(code))


def same_value(name: str, one, other) -> bool:
    """Whether two values of a source's field mean the same: URLs that differ only by http(s)://, a trailing
    slash or blanks are one URL (validation compares them the same way)."""
    if "url" in name and isinstance(one, str) and isinstance(other, str):
        return _url_key(one) == _url_key(other)
    return one == other


def _url_key(url: str) -> str:
    return URL_SCHEME.sub("", url.strip()).rstrip("/")


def _emit_trace(trace: Trace, out, source, excerpts: list, *, in_header: bool) -> set:
    cls = GT.OpenCodingTrace if trace.kind == "open" else GT.AxialCodingTrace
    node = out.located("trace", cls, trace.line, trace.end_line)
    out.add(node, GT.source, source)
    out.add(node, GT.text, trace.text)
    evidence = [excerpts[i] for i in trace.excerpts]
    for excerpt in evidence:
        out.add(node, GT.excerpt, excerpt)
    named = set()
    for label, value, line in trace.labelled:
        labelled = out.located("line", GT.LabelledLine, line)
        out.add(node, GT.labelledLine, labelled)
        out.add(labelled, GT.label, label)
        out.add(labelled, GT.text, value)
    for var in trace.mentions:
        code = out.ref(var)
        out.add(node, GT.mentions, code)
        named.add(var)
    listed = set()
    for fence in trace.fences:
        fragment = fence.fragment
        for decl in fragment.declarations:
            out.declaration(decl, values_on_entity=not in_header)
        for link in fragment.links:
            out.link(link)
        for var in fragment.names():
            code = out.ref(var)
            out.add(node, GT.names, code)
            if source is not None and not in_header:
                out.add(source, GT.containsCode, code)
            named.add(var)
        if source is not None and not in_header:
            for listing in fragment.listings:  # a code list states the containment where it names the code
                for var, line in listing.placed():
                    if var not in listed:
                        listed.add(var)
                        out.containment(source, out.ref(var), line)
    for var in named:
        code = out.ref(var)
        for excerpt in evidence:
            out.add(code, GT.evidence, excerpt)
    return named
