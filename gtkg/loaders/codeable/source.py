"""Split messy Python into statements with `ast`, recovering what parses and reporting the rest.

Nothing is ever executed: the text is only parsed.

>>> stmts, bad = split_statements("    a = 1\\n    b = (\\n    c = 3\\n", first_line=10)
>>> [(type(s).__name__, s.lineno) for s in stmts]
[('Assign', 10), ('Assign', 12)]
>>> [(d.line, d.text) for d in bad]
[(11, '    b = (')]
"""

import ast
import codeop
import keyword
import re
import textwrap
import warnings

from gtkg.loaders.records import MAX_TEXT, WARNING, Diagnostic

MAX_MERGE = 40  # a broken chunk is retried together with up to this many following chunks
MAX_LOOKAHEAD = 20  # errors located by parsing the whole rest of the text; later ones go chunk by chunk
# Past the first broken chunk that needs the next ones (it may try all MAX_MERGE widths), joining chunks may
# parse, in all, this many texts per chunk and this many characters per character of the text:
RECOVERY_ATTEMPTS, RECOVERY_CHARS = 8, 24
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


# With this flag Python says "incomplete input" of a text that more lines could still make valid; any other
# syntax error stops the parser before the end of the text, so no following lines can repair it.
_ATTEMPT_FLAGS = ast.PyCF_ONLY_AST | codeop.PyCF_ALLOW_INCOMPLETE_INPUT
_PARSED, _INCOMPLETE, _BROKEN = "parsed", "incomplete", "broken"
# Surrogates (halves of UTF-16 pairs, not text: no RDF store takes them) reach string constants only through
# these escapes.
_SURROGATE_SOURCE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]|[\ud800-\udfff]")


def split_statements(text: str, first_line: int = 1) -> tuple[list[ast.stmt], list[Diagnostic]]:
    """Parse `text` (whose first line is `first_line` of its file) into top-level statements.

    Tries the whole text dedented first; failing that, chunk by chunk, where a chunk starts at each
    line of the least indentation. Each chunk that cannot be read becomes one diagnostic.
    """
    statements, diagnostics = _split(text, first_line)
    if may_hold_surrogates(text):
        diagnostics.extend(_replace_surrogates(statements))
    return statements, diagnostics


def _split(text: str, first_line: int) -> tuple[list[ast.stmt], list[Diagnostic]]:
    if len(text) >= FAST_PATH_MIN and not text.lstrip("\n")[:1].isspace():
        statements = split_one_liners(text, first_line)
        if statements is not None:
            return statements, []
    tree = parse_text(dedent(text), first_line - 1)
    if tree is not None:
        return tree.body, []
    return _Recovery(text, first_line).run()


def dedent(text: str) -> str:
    """The text moved left by the indentation of its first line of code, as Python reads a statement: lines
    less indented than that (a comment at column 0 after a code list indented by four spaces, the lines of a
    quoted list written further left) move to column 0, where Python reads a comment or a string's line alike.
    textwrap.dedent, which takes the least indentation of all lines, when no line is less indented.

    >>> dedent("    a = 1\\n# note\\n    b = 2\\n")
    'a = 1\\n# note\\nb = 2\\n'
    """
    lines = text.split("\n")
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    margin = first[:len(first) - len(first.lstrip())]
    if not margin or all(line.startswith(margin) or not line.strip() for line in lines):
        return textwrap.dedent(text)
    return "\n".join(line[len(margin):] if line.startswith(margin) else line.lstrip() for line in lines)


def split_one_liners(text: str, first_line: int = 1) -> list[ast.stmt] | None:
    """The statements of an unindented text, one-line declarations and option links built without ast.parse.

    The rest is parsed once with those lines blanked out. A one-liner counts only where no statement of the
    rest spans its line (so it is not inside a bracket, a string or a block); None otherwise, or when the rest
    does not parse: then parse the text whole.
    """
    lines = text.split("\n")
    one_liners = take_one_liners(lines, first_line)
    if not one_liners:
        return None
    tree = parse_text("\n".join(lines), first_line - 1)
    return None if tree is None else merge_one_liners(one_liners, tree.body)


def take_one_liners(lines: list[str], first_line: int) -> list[ast.stmt]:
    """The one-liners among `lines` (the first is line `first_line`), as nodes; their lines are blanked out."""
    one_liners: list[ast.stmt] = []
    for i, line in enumerate(lines):
        match = one_liner_match(line)
        if match is not None:
            one_liners.append(_one_liner(match, first_line + i))
            lines[i] = ""
    return one_liners


def has_one_liner(lines: list[str]) -> bool:
    return any(one_liner_match(line) is not None for line in lines)


def one_liner_match(line: str) -> re.Match | None:
    if not line or not (line[0].isalpha() or line[0] == "_"):
        return None
    match = ONE_LINER.match(line)
    if match is None or not KEYWORDS.isdisjoint(match.group("var", "meta", "decision", "option")):
        return None
    return match


def merge_one_liners(one_liners: list[ast.stmt], rest: list[ast.stmt]) -> list[ast.stmt] | None:
    """Both in line order; None when a one-liner sits inside a statement of the rest."""
    merged, rest = [], iter(rest)
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


class _Recovery:
    """Reads a text that does not parse whole chunk by chunk, in time linear in its size.

    At each chunk: if parsing the rest of the text fails further on, the chunks before the failure are read
    together (one parse, not many); otherwise the chunk is read joined with as few following chunks as
    parse (a decorator needs its function, an open bracket its closing line), else reported unreadable.
    Joining stops as soon as Python says no following line can repair the text. The first chunk to need it
    may try all MAX_MERGE widths (at most about 20 times the text's size); the later ones together have a
    budget in proportion to the text (RECOVERY_ATTEMPTS, RECOVERY_CHARS), past which joining is given up, with
    a diagnostic.
    """

    def __init__(self, text: str, first_line: int):
        self.lines = text.split("\n")
        self.chunks = _chunks(self.lines)
        self.first_line = first_line
        self.statements: list[ast.stmt] = []
        self.diagnostics: list[Diagnostic] = []
        self.unreadable = self.lookaheads = 0
        self.joined_before = self.gave_up = False
        self.attempts_left = RECOVERY_ATTEMPTS * len(self.chunks)
        self.chars_left = RECOVERY_CHARS * len(text)

    def run(self) -> tuple[list[ast.stmt], list[Diagnostic]]:
        k = 0
        while k < len(self.chunks):
            width = self.readable_width(k)
            if width:
                start, end = self.span(k, width)
                self.statements.extend(parse_text(self.text(start, end), self.first_line - 1 + start).body)
                k += width
            else:
                start, end = self.chunks[k]
                self.diagnostics.append(_unreadable(self.lines[start:end], self.first_line + start))
                self.unreadable += 1
                k += 1
        return self.statements, self.diagnostics

    def span(self, k: int, width: int) -> tuple[int, int]:
        return self.chunks[k][0], self.chunks[k + width - 1][1]

    def text(self, start: int, end: int | None = None) -> str:
        return dedent("\n".join(self.lines[start:end]))

    def readable_width(self, k: int) -> int:
        """How many chunks from k on are read together (0: chunk k cannot be read): the lookahead's prefix, else
        the fewest that parse together."""
        alone = self.attempt(k, 1)
        if alone is _BROKEN:  # so is every text that starts with this chunk: no lookahead can help
            return 0
        # An unreadable chunk costs about two lookaheads (to the chunk, then at it); the cap stops texts crafted
        # to cost more without being reported.
        if self.unreadable < MAX_LOOKAHEAD and self.lookaheads < 3 * MAX_LOOKAHEAD:
            width = self.readable_prefix(k)
            if width:
                return width
        if alone is _PARSED:
            return 1
        first, self.joined_before = not self.joined_before, True
        for width in range(2, min(MAX_MERGE, len(self.chunks) - k) + 1):
            if not first and self.over_budget(k):
                return 0
            outcome = self.attempt(k, width, charged=not first)
            if outcome is not _INCOMPLETE:
                return width if outcome is _PARSED else 0
        return 0

    def readable_prefix(self, k: int) -> int:
        """How many chunks from k on parse together up to where parsing the rest fails (one parse, not many)."""
        self.lookaheads += 1
        start = self.chunks[k][0]
        error = _error_line(self.text(start))
        if error is None:
            return len(self.chunks) - k
        bad = start + error - 1
        width = next((w for w in range(len(self.chunks) - k) if self.chunks[k + w][1] > bad), 0)
        if width and parse_text(self.text(start, self.chunks[k + width - 1][1])) is not None:
            return width
        return 0

    def attempt(self, k: int, width: int, *, charged: bool = True) -> str:
        text = self.text(*self.span(k, width))
        if charged:
            self.attempts_left -= 1
            self.chars_left -= len(text)
        return _attempt(text)

    def over_budget(self, k: int) -> bool:
        """Whether joining has cost its budget; says so (once) at chunk k."""
        if self.attempts_left > 0 and self.chars_left > 0:
            return False
        if not self.gave_up:
            self.gave_up = True
            self.diagnostics.append(Diagnostic(
                self.first_line + self.chunks[k][0], "recovery-limit",
                "gave up joining the broken code here with the lines after it: trying had already cost many "
                "times reading the snippet once; from here on each part is read on its own (a part that needs "
                "the next lines is reported unreadable); fix the syntax to have it all read",
                WARNING))
        return True


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


def _attempt(text: str) -> str:
    """_PARSED, _INCOMPLETE (more lines could still complete the text) or _BROKEN (no following lines can)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<unknown>", "exec", _ATTEMPT_FLAGS)
        return _PARSED
    except SyntaxError as exc:
        return _INCOMPLETE if exc.msg == "incomplete input" or not _TELLS_INCOMPLETE else _BROKEN
    except ValueError:  # a NUL or a lone surrogate in the text: in every longer text, too
        return _BROKEN
    except (RecursionError, MemoryError):
        return _INCOMPLETE


def _tells_incomplete() -> bool:
    """Whether this Python tells incomplete from broken text (else every failure counts as incomplete)."""
    try:
        compile("x = (", "<unknown>", "exec", _ATTEMPT_FLAGS)
    except SyntaxError as exc:
        return exc.msg == "incomplete input"
    return False


_TELLS_INCOMPLETE = _tells_incomplete()


def parse_text(text: str, offset: int = 0) -> ast.Module | None:
    """Parse, numbering lines from offset + 1.

    Blank lines in front cost far less than shifting the tree, up to about ten per character of the text;
    past that (a small fence far down a long file) the tree is shifted, so the cost stays linear in the text.
    """
    ahead = offset if offset <= 10 * len(text) else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in strings are not our concern
            tree = ast.parse("\n" * ahead + text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return ast.increment_lineno(tree, offset - ahead) if offset > ahead else tree


def _replace_surrogates(statements: list[ast.stmt]) -> list[Diagnostic]:
    """Surrogates in string constants become the character a pair of them stands for, or U+FFFD when alone;
    one diagnostic, at the first line with any."""
    lines = join_surrogates(statements)
    return [surrogates_found(len(lines), min(lines))] if lines else []


def may_hold_surrogates(text: str) -> bool:
    return ("\\u" in text or "\\U" in text or not text.isascii()) and _SURROGATE_SOURCE.search(text) is not None


def join_surrogates(nodes: list[ast.AST]) -> list[int]:
    """Join the surrogates of the string constants in `nodes` (see _replace_surrogates); the lines changed."""
    return [node.lineno for statement in nodes for node in ast.walk(statement)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _join_surrogates(node)]


def surrogates_found(count: int, line: int) -> Diagnostic:
    return Diagnostic(line, "surrogate-escape", f"{count} string(s) hold surrogate escapes (such as \\ud800), "
                      "halves of a UTF-16 pair, not characters; read as the character a pair stands for, a lone one "
                      "as U+FFFD; write the character itself", WARNING)


def _join_surrogates(node: ast.Constant) -> bool:
    joined = node.value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if joined == node.value:
        return False
    node.value = joined
    return True


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
    chunk = chunk[:next((i + 1 for i in range(len(chunk) - 1, -1, -1) if chunk[i].strip()), 0)]
    text = "\n".join(chunk)[:MAX_TEXT]
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
