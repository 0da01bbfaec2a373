"""Split messy Python into statements with `ast`, recovering what parses and reporting the rest.

Nothing is ever executed: the text is only parsed.

>>> stmts, bad = split_statements("    a = 1\\n    b = (\\n    c = 3\\n", first_line=10)
>>> [(type(s).__name__, s.lineno) for s in stmts]
[('Assign', 10), ('Assign', 12)]
>>> [(d.line, d.text) for d in bad]
[(11, '    b = (')]
"""

import ast
import textwrap
import warnings

from gtkg.loaders.records import WARNING, Diagnostic

MAX_MERGE = 40  # a broken chunk is retried together with up to this many following chunks


def split_statements(text: str, first_line: int = 1) -> tuple[list[ast.stmt], list[Diagnostic]]:
    """Parse `text` (whose first line is `first_line` of its file) into top-level statements.

    Tries the whole text dedented first; failing that, chunk by chunk, where a chunk starts at each
    line of the least indentation. Each chunk that cannot be read becomes one diagnostic.
    """
    tree = _parse(textwrap.dedent(text), first_line - 1)
    if tree is not None:
        return tree.body, []
    lines = text.split("\n")
    chunks = _chunks(lines)
    statements: list[ast.stmt] = []
    diagnostics: list[Diagnostic] = []
    k = 0
    while k < len(chunks):
        width = _readable_width(lines, chunks, k)
        if width:
            start, end = chunks[k][0], chunks[k + width - 1][1]
            statements.extend(_parse(textwrap.dedent("\n".join(lines[start:end])), first_line - 1 + start).body)
            k += width
        else:
            start, end = chunks[k]
            diagnostics.append(_unreadable(lines[start:end], first_line + start))
            k += 1
    return statements, diagnostics


def _readable_width(lines, chunks, k) -> int:
    """How many chunks from k on parse together (0: chunk k cannot be read)."""
    for width in range(1, min(MAX_MERGE, len(chunks) - k) + 1):
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
