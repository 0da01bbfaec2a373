"""Code lists written as text: the names a docstring or a broken snippet lists, each with its line.

Field notes list a source's codes as names separated by commas or line breaks, mostly inside quotes, with
comments, odd indents and stray lines around them. A line that holds only names is read whole; a line of
words that would be one name with underscores ("data catalog") is reported with that name; other text is
prose (a docstring of prose is a comment). Nothing here parses Python: the text is read line by line.

>>> found = read_listing("\\n  rest_apis,  # the API layer\\n  data catalog\\n", first_line=7)
>>> found.names, found.lines
(['rest_apis'], [8])
>>> [(line, problem) for line, problem, _ in found.problems]
[(9, 'name-with-spaces')]
"""

import re
from dataclasses import dataclass, field

NAMES = re.compile(r"[A-Za-z_]\w*(?:[ \t]*+(?:,[ \t]*+)++[A-Za-z_]\w*)*+")
NAME = re.compile(r"[A-Za-z_]\w*")
# Two to four words that would make one name joined by underscores: a name written with spaces or hyphens.
SPACED = re.compile(r"[A-Za-z_]\w*+(?:(?:[ \t]++|[ \t]*+-[ \t]*+)\w++){1,3}")
QUOTES = re.compile(r"'''|\"\"\"|'|\"")
# A broken snippet is read as a list only when it holds nothing but names, commas, quotes, square brackets,
# blanks and comments.
LIST_ONLY = re.compile(r"(?:[\w\s,'\"\[\]-]++|#[^\n]*+)*+")


@dataclass
class Found:
    """The names a text lists, the line of each, and what in it is not a name: (line, problem, message)."""

    names: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    prose: int = 0  # lines of other text


def read_listing(text: str, first_line: int) -> Found:
    """Names per line of `text`, whose first line is `first_line`; comments (`# ...`) are left out."""
    found = Found()
    for number, raw in enumerate(text.split("\n"), first_line):
        line = raw.split("#", 1)[0].strip().strip(",").strip()
        if not line:
            continue
        if NAMES.fullmatch(line):
            for name in NAME.findall(line):
                found.names.append(name)
                found.lines.append(number)
        elif SPACED.fullmatch(line):
            found.problems.append((number, "name-with-spaces", spaced_message(line)))
        else:
            found.prose += 1
            found.problems.append((number, "not-a-name", f"{_short(line)!r} in this code list is not a code name; "
                                   "it is not loaded: write code variables separated by commas, or move the text "
                                   "into a comment"))
    return found


def spaced_message(words: str) -> str:
    joined = re.sub(r"[ \t]*-[ \t]*|[ \t]+", "_", words)
    return (f"{_short(words)!r} is not a code name (names have no spaces): it is not loaded; did you mean "
            f"{joined}?")


def recover_list(text: str, first_line: int) -> Found | None:
    """The names of a snippet that does not parse but holds nothing but a list of names (an unclosed quote or
    bracket, names with spaces); None when it holds anything else (assignments, calls, other punctuation)."""
    if not LIST_ONLY.fullmatch(text):
        return None
    stripped = QUOTES.sub(lambda m: " " * len(m.group()), text)
    stripped = re.sub(r"[\[\]]", " ", stripped)
    found = read_listing(stripped, first_line)
    return found if found.names or any(p[1] == "name-with-spaces" for p in found.problems) else None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"
