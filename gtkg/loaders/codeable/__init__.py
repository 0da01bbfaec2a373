"""Read CodeableModels statements statically: Python text or `ast` nodes in, plain records out. Nothing is run.

Statements are interpreted in order over a small value domain (model elements by variable, links, lists,
dicts, strings), so list and dict variables, aliases and `[0]` on add_links results mean what they mean when
the model runs; link kinds and directions follow the metamodel associations. What cannot be resolved becomes
a diagnostic with its line and raw text, and the rest of the statement still loads.

The parts: `source` splits text into statements (recovering what parses of broken code); `statements` reads
them in order, with `state` (what a load and the fragment being read keep); `values` computes expressions in
the domain of `pyvalues`; `api` and `links` read the CodeableModels calls, `arguments` their arguments, and
`associations` picks a link's kind and direction; `syntax` tells what code it does not run would do;
`limits` bounds the work.

>>> frag = interpret_text('''
... on_demand = CClass(force, "On-Demand")
... add_force_relations({triggering: {on_demand: positive}})
... x = a.add_links(b, role_name="from", stereotype_instances=can_use)[0]
... ''')
>>> frag.declarations[0].var, frag.declarations[0].label, frag.declarations[0].line
('on_demand', 'On-Demand', 2)
>>> [(link.kind, link.a, link.b, link.stereotypes, link.var) for link in frag.links]
[('impact', 'triggering', 'on_demand', ('positive',), None), ('dependency', 'b', 'a', ('can_use',), 'x')]
"""

from gtkg.loaders.codeable.source import split_statements
from gtkg.loaders.codeable.state import Env
from gtkg.loaders.codeable.statements import interpret, interpret_text

__all__ = ["Env", "interpret", "interpret_text", "split_statements"]
