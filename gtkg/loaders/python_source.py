"""Split messy Python into statements with `ast`, recovering what parses and reporting the rest.

Nothing is ever executed: the text is only parsed.

>>> stmts, bad = split_statements("    a = 1\\n    b = (\\n    c = 3\\n", first_line=10)
>>> [(type(s).__name__, s.lineno) for s in stmts]
[('Assign', 10), ('Assign', 12)]
>>> [(d.line, d.text) for d in bad]
[(11, '    b = (')]
"""

import ast
import keyword
import re
import textwrap
import warnings

from gtkg.loaders.records import WARNING, Diagnostic

MAX_MERGE = 40  # a broken chunk is retried together with up to this many following chunks
MAX_LOOKAHEAD = 20  # errors located by parsing the whole rest of the text; later ones go chunk by chunk
MAX_RETRIED_LINES = 100_000  # lines parsed again while merging broken chunks; then each chunk is tried alone
# One-line declarations and option links are most of a big model file. ast.parse costs tens of microseconds a
# line; building their few nodes directly costs a fraction of that. Only for unindented texts this long:
FAST_PATH_MIN = 20_000
# Inside a string or comment, characters that end a line or a parse for Python (\r, NUL) or that it cannot
# encode (lone surrogates) never pass: such lines go to ast.parse, which splits or rejects them.
_STRING = r"""(?P<{0}q>["'])(?P<{0}>[^"'\\\n\r\x00\ud800-\udfff]*)(?P={0}q)"""
KEYWORDS = frozenset(keyword.kwlist) | {"__debug__"}  # no plain Name node (True, None, ...) or not assignable
LOAD, STORE = ast.Load(), ast.Store()  # ast.parse shares one instance of each, too
ONE_LINER = re.compile(
    r"(?:(?P<var>[A-Za-z_]\w*) = CClass\((?P<meta>[A-Za-z_]\w*)(?:, " + _STRING.format("label") + r")?\)"
    r"|add_decision_option_link\((?P<decision>[A-Za-z_]\w*), (?P<option>[A-Za-z_]\w*), "
    + _STRING.format("name") + r"\))[ \t]*(?:#[^\r\x00\ud800-\udfff]*)?$",
    re.ASCII)  # other names go to ast.parse, which normalizes them (NFKC) as Python does


def split_statements(text: str, first_line: int = 1) -> tuple[list[ast.stmt], list[Diagnostic]]:
    """Parse `text` (whose first line is `first_line` of its file) into top-level statements.

    Tries the whole text dedented first; failing that, chunk by chunk, where a chunk starts at each
    line of the least indentation. Each chunk that cannot be read becomes one diagnostic.
    """
    if len(text) >= FAST_PATH_MIN and not text.lstrip("\n")[:1].isspace():
        statements = split_one_liners(text, first_line)
        if statements is not None:
            return statements, []
    tree = _parse(textwrap.dedent(text), first_line - 1)
    if tree is not None:
        return tree.body, []
    lines = text.split("\n")
    chunks = _chunks(lines)
    statements: list[ast.stmt] = []
    diagnostics: list[Diagnostic] = []
    k = retried = 0
    while k < len(chunks):
        width = _readable_prefix(lines, chunks, k) if len(diagnostics) < MAX_LOOKAHEAD else 0
        if not width:  # a merge parses up to MAX_MERGE growing texts: 1,000 broken lines took seconds
            merge = MAX_MERGE if retried < MAX_RETRIED_LINES else 1
            retried += merge * (chunks[min(k + merge, len(chunks)) - 1][1] - chunks[k][0])
            width = _readable_width(lines, chunks, k, merge)
        if width:
            start, end = chunks[k][0], chunks[k + width - 1][1]
            statements.extend(_parse(textwrap.dedent("\n".join(lines[start:end])), first_line - 1 + start).body)
            k += width
        else:
            start, end = chunks[k]
            diagnostics.append(_unreadable(lines[start:end], first_line + start))
            k += 1
    return statements, diagnostics


def split_one_liners(text: str, first_line: int = 1) -> list[ast.stmt] | None:
    """The statements of an unindented text, one-line declarations and option links built without ast.parse.

    The rest is parsed once with those lines blanked out. A one-liner counts only where no statement of the
    rest spans its line (so it is not inside a bracket, a string or a block); None otherwise, or when the rest
    does not parse: then parse the text whole.
    """
    lines = text.split("\n")
    one_liners: list[ast.stmt] = []
    for i, line in enumerate(lines):
        if not line or not (line[0].isalpha() or line[0] == "_"):
            continue
        match = ONE_LINER.match(line)
        if match is None or not KEYWORDS.isdisjoint(match.group("var", "meta", "decision", "option")):
            continue
        one_liners.append(_one_liner(match, first_line + i))
        lines[i] = ""
    if not one_liners:
        return None
    tree = _parse("\n".join(lines), first_line - 1)
    if tree is None:
        return None
    merged, rest = [], iter(tree.body)
    following = next(rest, None)
    for node in one_liners:
        while following is not None and _first_line(following) < node.lineno:
            if following.end_lineno >= node.lineno:
                return None  # the one-liner sits inside this statement
            merged.append(following)
            following = next(rest, None)
        merged.append(node)
    if following is not None:
        merged.append(following)
        merged.extend(rest)
    return merged


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min(d.lineno for d in decorators) if decorators else node.lineno


def _one_liner(match: re.Match, line: int) -> ast.stmt:
    """The nodes ast.parse would give (without column offsets, which gtkg never reads)."""
    if match["var"]:
        args = [_at(line, ast.Name(match["meta"], LOAD))]
        if match["labelq"]:
            args.append(_at(line, ast.Constant(match["label"], None)))
        call = _at(line, ast.Call(_at(line, ast.Name("CClass", LOAD)), args, []))
        return _at(line, ast.Assign([_at(line, ast.Name(match["var"], STORE))], call, None))
    args = [_at(line, ast.Name(match["decision"], LOAD)), _at(line, ast.Name(match["option"], LOAD)),
            _at(line, ast.Constant(match["name"], None))]
    return _at(line, ast.Expr(_at(line, ast.Call(_at(line, ast.Name("add_decision_option_link", LOAD)), args, []))))


def _at(line: int, node: ast.AST) -> ast.AST:
    """Place a node on one line (attributes set afterwards: keyword arguments to an ast class are slow)."""
    node.lineno = node.end_lineno = line
    return node


def _readable_prefix(lines, chunks, k) -> int:
    """How many chunks from k on parse together up to where parsing the rest fails (one parse, not many)."""
    start = chunks[k][0]
    error = _error_line(textwrap.dedent("\n".join(lines[start:])))
    if error is None:
        return len(chunks) - k
    bad = start + error - 1
    width = next((w for w in range(len(chunks) - k) if chunks[k + w][1] > bad), 0)
    if width and _parse(textwrap.dedent("\n".join(lines[start:chunks[k + width - 1][1]]))) is not None:
        return width
    return 0


def _error_line(text: str) -> int | None:
    """None when the text parses, else the line (1-based) where parsing failed (0: unknown)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
        return None
    except SyntaxError as exc:
        return exc.lineno or 0
    except (ValueError, RecursionError, MemoryError):
        return 0


def _readable_width(lines, chunks, k, merge: int = MAX_MERGE) -> int:
    """How many chunks from k on (at most `merge`) parse together (0: chunk k cannot be read)."""
    for width in range(1, min(merge, len(chunks) - k) + 1):
        start, end = chunks[k][0], chunks[k + width - 1][1]
        if _parse(textwrap.dedent("\n".join(lines[start:end]))) is not None:
            return width
    return 0


def _parse(text: str, offset: int = 0) -> ast.Module | None:
    """Parse, numbering lines from offset + 1 (blank lines in front cost nothing, unlike shifting the tree)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in strings are not our concern
            return ast.parse("\n" * offset + text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _chunks(lines: list[str]) -> list[tuple[int, int]]:
    """Ranges [start, end) of lines, each starting at a line of the least indentation."""
    code = [i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("#")]
    if not code:
        return []
    indent = min(len(lines[i]) - len(lines[i].lstrip()) for i in code)
    starts = [i for i in code if len(lines[i]) - len(lines[i].lstrip()) == indent
              and not lines[i].lstrip().startswith((")", "]", "}"))]
    if not starts or starts[0] != code[0]:
        starts.insert(0, code[0])
    ends = starts[1:] + [len(lines)]
    return list(zip(starts, ends, strict=True))


def _unreadable(chunk: list[str], line: int) -> Diagnostic:
    while chunk and not chunk[-1].strip():
        chunk = chunk[:-1]
    text = "\n".join(chunk)
    first = text.strip().splitlines()[0] if text.strip() else ""
    return Diagnostic(
        line=line,
        end_line=line + len(chunk) - 1,
        problem="unreadable-snippet",
        message=f"cannot read this as Python: {first[:80]!r}; fix the syntax (brackets, commas, quotes, "
        "names with spaces) so the code is loaded; its raw text is kept",
        severity=WARNING,
        text=text,
    )
