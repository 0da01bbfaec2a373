"""Plain records shared by the parsers and emitters (no rdflib, no IRIs)."""

from dataclasses import dataclass, field

VIOLATION, WARNING, INFO = "violation", "warning", "info"
# No record holds more characters of the input than this: pyoxigraph's N-Quads reader stops at 16 MiB a line,
# and a character takes up to 4 bytes. Longer lines are left out, longer texts cut, with a diagnostic.
MAX_TEXT = 1 << 20


@dataclass(slots=True)
class Diagnostic:
    """Something a loader could not read or found defective, with where it is."""

    line: int
    problem: str
    message: str
    severity: str = WARNING
    text: str = ""
    end_line: int | None = None
    about: str | None = None  # variable of the code (or source id) the finding is about
    other_line: int | None = None  # the other side of a disagreement in the same file: its line and value
    other_value: str | None = None


@dataclass(slots=True)
class Declaration:
    """`var = CClass(metaclass, "Label", values={...})`."""

    var: str
    metaclass: str
    label: str | None
    line: int
    values: dict = field(default_factory=dict)
    stereotypes: tuple = ()


@dataclass(slots=True)
class Listing:
    """Bare code variables: a docstring, a name or a tuple of names in a fence; `lines` holds the line of each
    name (when not given: the listing's line)."""

    names: list
    line: int
    lines: list = field(default_factory=list)

    def placed(self):
        """(name, line) of each name."""
        return zip(self.names, self.lines or [self.line] * len(self.names), strict=True)


@dataclass(slots=True)  # a big model has hundreds of thousands
class Link:
    """One link between two variables.

    kind: contains, cites, option, impact, dependency, next, context or other.
    `a` and `b` follow the kind: (source, code), (source, reference), (decision, option), (option, force),
    (from, to) for dependency and next, (decision, context), (a, b) for other.
    """

    kind: str
    a: str
    b: str
    line: int
    stereotypes: tuple = ()
    name: str | None = None  # option name
    role: str | None = None  # role_name of an add_links statement
    var: str | None = None  # variable the link was assigned to
    tagged: dict = field(default_factory=dict)  # tagged values: how, role


@dataclass
class Fragment:
    """What one piece of Python (a fence or a model file) states, in order."""

    declarations: list = field(default_factory=list)
    listings: list = field(default_factory=list)
    links: list = field(default_factory=list)
    lists: dict = field(default_factory=dict)  # list variable -> (names, line)
    imports: list = field(default_factory=list)  # (module, names or ["*"], line)
    diagnostics: list = field(default_factory=list)

    def names(self) -> list:
        """Every code variable the fragment declares, lists or links."""
        return list(self.named())

    def named(self) -> dict:
        """Every code variable the fragment declares, lists or links -> the first line where it is written
        (the names in that order: declarations, then listings, then links)."""
        seen: dict = {}

        def see(name, line):
            seen[name] = min(seen.get(name, line), line)

        for decl in self.declarations:
            if decl.metaclass not in ("source", "reference"):
                see(decl.var, decl.line)
        for listing in self.listings:
            for name, line in listing.placed():
                see(name, line)
        for link in self.links:
            if link.kind in ("contains",):
                see(link.b, link.line)
            elif link.kind not in ("cites",):
                see(link.a, link.line)
                see(link.b, link.line)
        return seen
