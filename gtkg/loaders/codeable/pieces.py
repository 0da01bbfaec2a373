"""A long model file's statements piece by piece, so that only one piece's syntax tree is alive at a time.

`Split(text).pieces()` yields the statements `source.split_statements(text)` returns, in order, in pieces of
about PIECE_CHARS characters, each parsed on its own. A piece ends before a line that starts a statement at
column 0; a piece that does not parse is cut too early (inside a bracket or a string) and is parsed again,
longer. Parsing from such a line, where Python's tokenizer has nothing open, reads what parsing the whole text
reads there; only `else`, `elif`, `except` and `finally` continue a statement at column 0, so no piece ends
before them. Each piece is read the way the whole text would be (one-liners built directly, or the text
dedented), so the statements are the same nodes as `split_statements` gives; a text that does not parse whole
(recovery is needed) or is short is read by `split_statements` itself, in one piece.

Each piece also gives the text it was parsed from (`Piece.source`), so that a value a later statement may need
before its own line is read (`Env.fallback`) can be kept as its text, not as its syntax tree.
"""

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from gtkg.loaders.codeable.lookahead import Deferred, lookahead
from gtkg.loaders.codeable.source import (
    FAST_PATH_MIN,
    has_one_liner,
    join_surrogates,
    may_hold_surrogates,
    merge_one_liners,
    one_liner_match,
    parse_text,
    split_statements,
    surrogates_found,
    take_one_liners,
)

PIECE_CHARS = 1 << 16
# A statement may continue at column 0 with these (`if ...:` then `else:`); a piece never ends before them.
CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b")
WHOLE, ONE_LINERS, DEDENTED = "whole", "one-liners", "dedented"


@dataclass
class Source:
    """The text a piece was parsed from, as lines; `first` is the line number of its first line."""

    lines: list[str]
    first: int

    def segment(self, node: ast.expr) -> str:
        """The text of `node` (column offsets count UTF-8 bytes)."""
        start, end = node.lineno - self.first, node.end_lineno - self.first
        if start == end:
            return _slice(self.lines[start], node.col_offset, node.end_col_offset)
        return "\n".join([_slice(self.lines[start], node.col_offset, None), *self.lines[start + 1:end],
                          _slice(self.lines[end], 0, node.end_col_offset)])


def _slice(line: str, start: int, end: int | None) -> str:
    return line[start:end] if line.isascii() else line.encode()[start:end].decode()


@dataclass
class Piece:
    statements: list[ast.stmt]
    source: Source | None  # None: the text is not at hand (a short or broken text, read whole)


class Restart(Exception):
    """Reading in this mode would not give what split_statements gives: read again, in `mode`."""

    def __init__(self, mode: str):
        super().__init__(mode)
        self.mode = mode


class Split:
    """The statements of one text, piece by piece; `pieces()` may be called again (the second time in the mode
    the first settled on, without starting over). `diagnostics` are complete once `pieces()` is exhausted."""

    def __init__(self, text: str, lines: list[str] | None = None, *, piece_chars: int = PIECE_CHARS):
        self.text = text
        self.lines = lines if lines is not None else text.split("\n")
        self.piece_chars = piece_chars
        self.diagnostics: list = []
        self.mode = self._first_mode()

    def _first_mode(self) -> str:
        text = self.text
        if len(text) < max(FAST_PATH_MIN, 2 * self.piece_chars) or text.lstrip("\n")[:1].isspace() \
                or "__future__" in text:  # a future import can change how the rest parses
            return WHOLE
        return ONE_LINERS if has_one_liner(self.lines) else DEDENTED

    def pieces(self, *, start_over: bool = True) -> Iterator[Piece]:
        """The statements in order. A mode that turns out wrong starts over in the right one: the statements
        already yielded are yielded again (the same statements, read the right way); or, without `start_over`,
        Restart is raised (with the mode set for the next time)."""
        while True:
            self.diagnostics = []
            try:
                yield from self._pieces()
                return
            except Restart as restart:
                self.mode = restart.mode
                if not start_over:
                    raise

    def glance(self) -> tuple[list, list] | None:
        """What a first pass learns from the text (`lookahead`, and the modules it imports from), mostly without
        parsing: the usual statements of a model file are told by their first line; the others are parsed,
        those in a row together. A guess that can be wrong (a line inside a string that looks like a
        statement): the second pass checks it against the statements it parses. None when the text is read
        whole, or a part of it does not parse on its own."""
        if self.mode == WHOLE:
            return None
        text, effects, modules = self.text, [], {}
        starts = [match.start() for match in STATEMENT_START.finditer(text)]
        if not starts or starts[0]:
            starts.insert(0, 0)
        starts.append(len(text))
        pending, line, pending_line = None, 1, 1  # statements to parse (together), from offset `pending` on

        def parse_pending(until: int) -> bool:
            lines = text[pending:until].split("\n")
            tree = _parse_at(lines, pending_line - 1)
            if tree is not None:
                effects.extend(lookahead(tree.body, Source(lines, pending_line)))
                modules.update(dict.fromkeys(imported(tree.body)))
            return tree is not None

        for start, end in zip(starts, starts[1:], strict=False):
            statement = text[start:end]
            told = None if MORE_THAN_ONE.search(statement) else _glanced(statement.split("\n", 1)[0], line)
            if told is None and pending is None:
                pending, pending_line = start, line
            elif told is not None or start - pending >= self.piece_chars:
                if pending is not None and not parse_pending(start):
                    return None
                pending, pending_line = (None, line) if told is not None else (start, line)
                effects += told or []
            line += statement.count("\n")
        if pending is not None and not parse_pending(len(text)):
            return None
        return effects, list(modules)

    def _pieces(self) -> Iterator[Piece]:
        if self.mode == WHOLE:
            statements, self.diagnostics = split_statements(self.text)
            yield Piece(statements, None)
            return
        changed: list[int] = []  # lines of strings whose surrogates were joined
        start = 0
        while start < len(self.lines):
            end = self._cut(start, self.piece_chars)
            while True:
                piece = self._parse(start, end)
                if piece is not None:
                    break
                if end == len(self.lines):
                    raise Restart(WHOLE)  # the rest does not parse: recovery reads the text as a whole
                end = self._cut(start, 2 * sum(len(line) + 1 for line in self.lines[start:end]))
            if may_hold_surrogates("\n".join(self.lines[start:end])):
                changed += join_surrogates(piece.statements)
            yield piece
            start = end
        if changed:
            self.diagnostics.append(surrogates_found(len(changed), min(changed)))

    def _cut(self, start: int, chars: int) -> int:
        """The first line after `start` where a piece of at least `chars` characters may end (or the end)."""
        lines, size = self.lines, 0
        for i in range(start, len(lines)):
            line = lines[i]
            if size >= chars and _may_start(line):
                return i
            size += len(line) + 1
        return len(lines)

    def _parse(self, start: int, end: int) -> Piece | None:
        """The statements of lines [start, end), or None when they do not parse on their own."""
        lines = self.lines[start:end]
        if self.mode == ONE_LINERS:
            one_liners = take_one_liners(lines, start + 1)
            tree = _parse_at(lines, start)
            if tree is None:
                return None
            statements = merge_one_liners(one_liners, tree.body) if one_liners else tree.body
            if statements is None:
                raise Restart(DEDENTED)  # a one-liner inside a statement: the text is read as one parse would
            return Piece(statements, Source(lines, start + 1))
        lines = textwrap.dedent("\n".join(lines)).split("\n")  # as the whole text is: blank lines emptied
        tree = _parse_at(lines, start)
        return None if tree is None else Piece(tree.body, Source(lines, start + 1))


def _may_start(line: str) -> bool:
    """Whether a statement may start at this line: at column 0, and not continuing one (`else:`)."""
    return bool(line) and (line[0].isalpha() or line[0] in "_@") and not CONTINUATION.match(line)


# Where a statement may start (at column 0, with a name or a decorator, and not continuing one), and what tells
# that the text up to the next such line holds more than one statement (or a line Python may start one with)
STATEMENT_START = re.compile(r"^(?=[^\W\d]|@)(?!(?:else|elif|except|finally)\b)", re.MULTILINE)
MORE_THAN_ONE = re.compile(r";|\n[^ \t#)\]}\n]")
# The first lines of a model file's usual statements, which tell what the statement teaches a first pass
DECLARED = re.compile(r"([A-Za-z_]\w*) = CClass\(([A-Za-z_]\w*), ")  # a declaration over several lines
NAMES = re.compile(r"([A-Za-z_]\w*) = (\[[\w, ]*\])[ \t]*")  # a list of names on one line
CALL = re.compile(r"(?:[A-Za-z_]\w* = )?[A-Za-z_][\w.]*\(")  # a call, or a name bound to its result


def _glanced(first: str, line: int) -> list | None:
    """What the statement starting with line `first` (line number `line`) teaches, if its first line tells."""
    if (match := one_liner_match(first)) is not None:
        return [("metaclass", match["var"], match["meta"])] if match["var"] else []
    if (match := DECLARED.match(first)) is not None:
        return [("metaclass", match[1], match[2])]
    if (match := NAMES.fullmatch(first)) is not None:
        return [("data", match[1], Deferred(match[2], line))]
    return [] if CALL.match(first) is not None and "CClass" not in first else None  # [] teaches nothing


def imported(statements: list[ast.stmt]):
    """The modules `from module import ...` statements import from."""
    return (node.module for node in statements if isinstance(node, ast.ImportFrom) and node.module)


def _parse_at(lines: list[str], start: int) -> ast.Module | None:
    """Parse lines as the lines from `start` (0-based) on of a text (None when they do not parse)."""
    return parse_text("\n".join(lines), start)
