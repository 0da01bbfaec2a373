"""What model statements tell before they run (`Env.prepare`): the metaclasses of the declarations, the
functions defined, and data written out, which a statement may name before the line that assigns it."""

import ast
import warnings
from dataclasses import dataclass, field

from gtkg.loaders.codeable.source import join_surrogates
from gtkg.loaders.codeable.syntax import declares_in_parallel, function_kind, is_cclass, plain_data


def lookahead(statements: list[ast.stmt], source=None) -> list[tuple]:
    """What statements tell before they run, in order: ("metaclass", variable, metaclass name) of declarations,
    ("data", variable, value) of plain-data assignments (the value's node, or its text, a Deferred, when the
    `source` of the statements, a `pieces.Source`, is given), ("function", name, kind) of functions defined."""
    effects = []
    for node in statements:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name):
                if is_cclass(value):
                    effects += _declared(target.id, value)
                elif plain_data(value):
                    effects.append(("data", target.id, value if source is None else
                                    Deferred(source.segment(value), value.lineno)))
            elif declares_in_parallel(target, value):
                for name, part in zip(target.elts, value.elts, strict=True):
                    if is_cclass(part):
                        effects += _declared(name.id, part)
        elif isinstance(node, ast.FunctionDef):
            effects.append(("function", node.name, function_kind(node)))
    return effects


def _declared(var: str, call: ast.Call) -> list[tuple]:
    if call.args and isinstance(call.args[0], ast.Name):
        return [("metaclass", var, call.args[0].id)]
    return []


@dataclass
class Deferred:
    """A value written out in the model, kept as its text until a statement needs it before its own line."""

    text: str
    line: int
    node: ast.expr | None = field(default=None, compare=False)

    def parse(self) -> ast.expr:
        if self.node is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                node = ast.parse("(" + self.text + "\n)", mode="eval").body
            ast.increment_lineno(node, self.line - 1)
            join_surrogates([node])
            self.node = node
        return self.node
