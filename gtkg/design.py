"""The study's design space, read once from the stored queries: what the paper tables, the diagrams and the
design document are made of.

`design_space(store=...)` runs `sources`, `codes`, `force-evidence`, `decision-options`, `option-impacts`,
`dependencies`, `decision-graph` and `code-evidence` and joins their rows by variable: decisions in the order
the model declares them, each with its options in link order, each option with its force impacts; forces in
the order of the force table with their IDs f1, f2, ...; the typed dependencies and next-decision links; the
quotes behind every code.
"""

from dataclasses import dataclass, field

POLARITY_ORDER = {"++": 0, "+": 1, "o": 2, "+/-": 3, "-": 4, "--": 5}


@dataclass
class Code:
    variable: str
    label: str
    kind: str = ""  # decision, pattern, practice, force, ... ("" when no file declares it)
    sources: list = field(default_factory=list)  # ids of the sources that contain it, natural order


@dataclass
class Impact:
    force: Code
    id: str  # the force's ID in the force table: f1, f2, ...
    polarity: str  # ++, +, o, +/-, -, --
    sources: list  # the sources that contain both the option and the force


@dataclass
class Option:
    code: Code
    name: str  # the name the decision gives it ("" when none)
    impacts: list = field(default_factory=list)

    @property
    def title(self) -> str:
        """The option as the paper names it: its option name, else its label."""
        return self.name or self.code.label


@dataclass
class Link:
    """A typed link between two codes: a dependency (Uses, Can Use, ...) or a next-decision link."""

    start: str  # variables
    end: str
    types: list
    how: str = ""
    role: str = ""


@dataclass
class Decision:
    code: Code
    options: list = field(default_factory=list)
    next: list = field(default_factory=list)  # next-decision links from the decision or one of its options


@dataclass
class Quote:
    source: str
    file: str
    line: int
    text: str


@dataclass
class DesignSpace:
    sources: list  # rows of the sources query, as dicts
    codes: dict  # variable -> Code, in declaration order
    forces: list  # Codes of the force table, in its order
    force_ids: dict  # force variable -> f1, f2, ...
    decisions: list
    dependencies: list  # Links
    next_links: list  # Links
    quotes: dict  # code variable -> [Quote], by source (natural order), file and line

    def code(self, variable: str) -> Code:
        return self.codes.get(variable) or Code(variable, variable)


QUERIES = ("sources", "codes", "force-evidence", "decision-options", "option-impacts", "dependencies",
           "decision-graph", "code-evidence")


def design_space(*, store, scope: str = "auto") -> DesignSpace:
    """Read the design space from `store` (a folder, an endpoint, or an open store); `scope` as the queries
    take it (auto, model, notes, all)."""
    from gtkg.queries import get, run_query
    from gtkg.store import using

    with using(store, read_only=True) as opened:
        tables = {name: run_query(name, {"scope": scope} if any(p.name == "scope" for p in get(name).params) else {},
                                  store=opened) for name in QUERIES}
    return from_tables(tables)


def from_tables(tables: dict) -> DesignSpace:
    """The design space of the QUERIES' results (Tables by query name)."""
    codes = {row["code"]: Code(row["code"], row["label"], row["kind"], row["sources"])
             for row in tables["codes"].dicts()}
    forces = [codes.get(row["force"]) or Code(row["force"], row["label"], "force", row["sources"])
              for row in tables["force-evidence"].dicts()]
    known = {force.variable for force in forces}
    for row in tables["option-impacts"].dicts():  # an impact on a force no file declares still gets an ID
        if row["force"] not in known:
            known.add(row["force"])
            forces.append(Code(row["force"], row["force_label"]))
    force_ids = {force.variable: f"f{n}" for n, force in enumerate(forces, 1)}
    space = DesignSpace(tables["sources"].dicts(), codes, forces, force_ids, [], _links(tables["dependencies"]),
                        _links(tables["decision-graph"]), _quotes(tables["code-evidence"]))
    space.decisions = _decisions(space, tables)
    return space


def _decisions(space: DesignSpace, tables: dict) -> list[Decision]:
    by_variable = {code.variable: Decision(code) for code in space.codes.values() if code.kind == "decision"}
    forces = {force.variable: force for force in space.forces}
    impacts = {}
    for row in tables["option-impacts"].dicts():
        force = forces[row["force"]]
        both = [s for s in space.code(row["option"]).sources if s in set(force.sources)]
        impacts.setdefault(row["option"], []).append(Impact(force, space.force_ids[row["force"]], row["polarity"],
                                                            both))
    for found in impacts.values():  # in the order of the force table
        found.sort(key=lambda impact: (int(impact.id[1:]), POLARITY_ORDER.get(impact.polarity, 0)))
    for row in tables["decision-options"].dicts():
        decision = by_variable.setdefault(row["decision"], Decision(space.code(row["decision"])))
        decision.options.append(Option(space.code(row["option"]), row["option_name"], impacts.get(row["option"], [])))
    for decision in by_variable.values():
        starts = {decision.code.variable} | {option.code.variable for option in decision.options}
        decision.next = [link for link in space.next_links if link.start in starts]
    return list(by_variable.values())


def _links(table) -> list[Link]:
    return [Link(row["from"], row["to"], row["type"], row.get("how", ""), row.get("role", ""))
            for row in table.dicts()]


def _quotes(table) -> dict:
    quotes = {}  # the query orders them by code, source (natural order), file and line
    for row in table.dicts():
        quotes.setdefault(row["code"], []).append(Quote(row["source"], row["file"], row["line"], row["excerpt"]))
    return quotes
