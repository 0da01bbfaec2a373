"""Limits of the static model reader: how large a value, and how much work, one statement may make.

Model text is untrusted, and a few KB of it can describe gigabytes (`s += s` 64 times) or work that never ends
(`f0 = {**f1, **f1}` over 40 forward references: each level evaluates the next one twice). So the reader counts
its work in steps, each about a microsecond of a load: one expression evaluated, one item or character copied
into a new value, one statement of a loop body run; a link or a diagnostic costs RECORD_STEPS, because it
becomes several triples in the store and in every export.

Every statement may spend steps in proportion to its own text, which is what written-out code needs (the real
models measured use under half of it), so a model of any size loads. Work beyond that (a forward reference
evaluated again, a loop, a list reused) is borrowed from a reserve of the whole load. Whatever goes over a
limit stops its statement with a `limit-exceeded` diagnostic on its line that names the limit; the statement
loads none of its links, the names it assigns are unknown from there on, and the next statement is read as
usual. So reading a load takes at most OWN_STEPS_PER_CHAR steps per character of its input, OWN_STEPS_MIN per
statement, and LOAD_RESERVE_STEPS.
"""

MAX_ITEMS = 100_000  # items of one list or dict that copying builds: `a + b`, `[*a]`, `{**d}`, `a += b`, extend
MAX_TEXT = 100_000  # characters of one string that joining builds: `a + b`, `a += b`
MAX_DIGITS = 1_000  # digits of an integer constant (`0xfff...` parses at any length; Python prints 4,300)
MAX_UNROLLED = 10_000  # statements one loop nest runs (each loop's body once per item)
MAX_PROBLEMS = 100  # diagnostics kept for one statement (a loop repeats them); the rest are only counted
MAX_SHOWN = 500  # items and characters of a value a diagnostic shows whole; a larger one is abbreviated

RECORD_STEPS = 50  # a link or a diagnostic
OWN_STEPS_PER_CHAR = 20  # a statement's own allowance: a link written out takes 3 characters (`, b`)
OWN_STEPS_MIN = 100
MAX_BORROWED_STEPS = 100_000  # what one statement may borrow from its load's reserve
LOAD_RESERVE_STEPS = 300_000  # what all statements of one load (the model files, or one note) may borrow

INT_LIMIT = 10 ** MAX_DIGITS


class LimitExceeded(Exception):
    """Raised where a limit is hit; the reader turns it into a diagnostic of the statement being read.

    Deliberately not an `Unsupported`: the handlers that read a part of a statement as unknown and go on must
    not swallow it.
    """


def too_large(kind: str, limit: int, unit: str) -> LimitExceeded:
    return LimitExceeded(f"value too large: the {kind} built here would have more than {limit:,} {unit}; gtkg "
                         "stops evaluating this statement")


class Budget:
    """The steps one statement may still spend: its own allowance, plus what it may borrow from the reserve of
    its load (`Env.reserve`), which is charged afterwards with what it did borrow."""

    __slots__ = ("left", "own", "may_borrow", "unrolled")

    def __init__(self, chars: int, reserve: int):
        self.own = OWN_STEPS_PER_CHAR * chars + OWN_STEPS_MIN
        self.may_borrow = min(MAX_BORROWED_STEPS, reserve)
        self.left = self.own + self.may_borrow
        self.unrolled = 0  # statements of loop bodies run so far

    def spent_from_reserve(self) -> int:
        beyond_own = self.may_borrow - self.left
        return min(beyond_own, self.may_borrow) if beyond_own > 0 else 0

    def exceeded(self) -> LimitExceeded:
        if self.may_borrow < MAX_BORROWED_STEPS:
            extra = f"the {self.may_borrow:,} left of the {LOAD_RESERVE_STEPS:,} a load may borrow"
        else:
            extra = f"the {MAX_BORROWED_STEPS:,} one statement may borrow"
        loop = f"; this loop nest ran {self.unrolled:,} statements" if self.unrolled else ""
        return LimitExceeded(f"too much work: reading this statement takes more than {self.own + self.may_borrow:,} "
                             f"evaluation steps (its own {self.own:,}, plus {extra} for forward references, loops "
                             f"and reused values{loop}); gtkg stops evaluating this statement")
