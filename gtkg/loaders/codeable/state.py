"""What reading model statements keeps: `Env`, what one load knows (shared by all its files), and `Reading`,
one fragment being read a statement at a time (where its records and diagnostics go, and how much work the
statement at hand may still do)."""

import ast

from gtkg.loaders.codeable.associations import vocab
from gtkg.loaders.codeable.limits import LOAD_RESERVE_STEPS, MAX_PROBLEMS, RECORD_STEPS, Budget
from gtkg.loaders.codeable.lookahead import lookahead
from gtkg.loaders.records import INFO, WARNING, Declaration, Diagnostic, Fragment


class Env:
    """What is known while interpreting: names and their values, shared by all files of one load."""

    def __init__(self):
        self.names: dict[str, object] = {}
        self.fallback: dict[str, object] = {}  # last plain-data assignment of each name (node or Deferred text)
        self.metaclasses: dict[str, str] = {}  # variable -> metaclass of its CClass
        self.functions: dict[str, str] = {}  # function defined in the input -> forces | creates | harmless
        self.declarations: dict[str, Declaration] = {}  # latest declaration of each variable
        self.used: set[str] = set()  # names read by some statement
        self.assignments: list = []  # (variable, what, line, fragment, declaration), for redefinitions
        self.coded_links: dict[int, str] = {}  # id(link) -> variable under which a source lists the link
        self.resolving: set[str] = set()
        self.reserve = LOAD_RESERVE_STEPS  # steps statements may still borrow beyond their own (limits.py)

    def prepare(self, statements: list[ast.stmt], source=None) -> None:
        """Look ahead: metaclasses of declarations, functions, and data assignments (for forward references).
        With the `source` text of the statements, data is kept as text, not as syntax trees."""
        self.learn(lookahead(statements, source))

    def learn(self, effects: list[tuple]) -> None:
        """Take in what `lookahead` found, in order."""
        for what, name, value in effects:
            if what == "metaclass":  # the first declaration's, known before the statements run
                self.metaclasses.setdefault(name, vocab(value))
            elif what == "data":
                self.fallback[name] = value
            else:
                self.functions[name] = value


class Reading:
    """One fragment being read: its records, its text (`lines`, from `first_line` of the file), and the statement
    at hand, with its line, its diagnostics so far and the steps it may still spend (limits.py)."""

    def __init__(self, fragment: Fragment, env: Env, lines: list[str], first_line: int):
        self.fragment, self.env, self.lines, self.first_line = fragment, env, lines, first_line
        self.problems: list = []  # (problem, message, severity, line, about) of the statement at hand
        self.dropped = 0  # problems of this statement over MAX_PROBLEMS, counted only
        self.line = first_line
        self.budget = Budget(0, env.reserve)

    def begin(self, node: ast.stmt) -> None:
        self.problems, self.dropped, self.line = [], 0, node.lineno
        self.budget = Budget(self.own_size(node), self.env.reserve)

    def finish(self, node: ast.stmt) -> None:
        """Charge the load's reserve with what the statement borrowed; record its diagnostics."""
        self.env.reserve -= self.budget.spent_from_reserve()
        if self.dropped:
            self.report(f"{self.dropped:,} more diagnostics of this statement are not listed (gtkg keeps "
                        f"{MAX_PROBLEMS} per statement)", INFO, "limit-exceeded")
        for problem, message, severity, line, about in self.problems:
            self.fragment.diagnostics.append(self.diagnostic(node, problem, message, severity, line, about))

    def own_size(self, node: ast.stmt) -> int:
        """Characters of a statement's own text, which its own allowance of steps is proportional to."""
        start, end = node.lineno, node.end_lineno or node.lineno
        if start == end and node.end_col_offset is not None:  # None: a one-liner built without ast.parse
            return node.end_col_offset - node.col_offset
        lines = self.lines[start - self.first_line:end - self.first_line + 1]
        return sum(map(len, lines)) + len(lines) if lines else 80 * (end - start + 1)

    def made(self) -> tuple[int, int]:
        """How many links there are so far (see `over_limit`)."""
        return len(self.fragment.links), len(self.env.coded_links)

    def over_limit(self, message: str, made: tuple[int, int]) -> None:
        """The statement went over a limit: its only diagnostic says so, and the links it made are dropped."""
        self.problems, self.dropped = [], 0
        links, coded = made
        dropped = len(self.fragment.links) > links
        del self.fragment.links[links:]
        for key in list(self.env.coded_links)[coded:]:
            del self.env.coded_links[key]
        self.report(message + (", and loads none of its links" if dropped else ""), problem="limit-exceeded")

    def spend(self, steps: int) -> None:
        budget = self.budget
        budget.left -= steps
        if budget.left < 0:
            raise budget.exceeded()

    def problem(self, message: str, severity: str = WARNING, problem: str = "unsupported-statement",
                line: int | None = None, about: str | None = None) -> None:
        """A diagnostic of the statement being read (a loop can repeat one: only MAX_PROBLEMS are kept)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            self.spend(1)
            return
        self.spend(RECORD_STEPS)
        self.report(message, severity, problem, line, about)

    def report(self, message: str, severity: str = WARNING, problem: str = "unsupported-statement",
               line: int | None = None, about: str | None = None) -> None:
        self.problems.append((problem, message, severity, line, about))

    def diagnostic(self, node: ast.stmt, problem: str, message: str, severity: str, line: int | None,
                   about: str | None) -> Diagnostic:
        start, end = node.lineno, getattr(node, "end_lineno", None) or node.lineno
        text = "\n".join(self.lines[start - self.first_line:end - self.first_line + 1]).strip("\n")
        return Diagnostic(line=line or start, end_line=None if line else end, problem=problem, message=message,
                          severity=severity, text=text, about=about)
