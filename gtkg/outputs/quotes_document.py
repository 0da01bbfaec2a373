"""The quotes behind the design document (quotes.md): for every decision, option and force it names, the
quoted excerpts each source was coded from, with file:line, under anchors the document's source ids link to.
"""

from gtkg.outputs.design_document import md, named_codes, quote_anchor


def write(space, output) -> str:
    out = ["# Quotes", "", "The excerpts of the field notes behind each code of the [design space](design.md), "
           "by source, with the file and line they are quoted from."]
    for variable in named_codes(space):
        quotes = space.quotes.get(variable, [])
        if quotes:
            out += ["", f"## {md(space.code(variable).label)}"]
        for n, quote in enumerate(quotes):
            if n == 0 or quotes[n - 1].source != quote.source:
                out += ["", f'<a id="{quote_anchor(variable, quote.source)}"></a>{md(quote.source)}:']
            out += [""] + [f"> {md(line)}" for line in quote.text.splitlines() or [""]]
            out.append(f"> ({md(quote.file)}:{quote.line})")
    return "\n".join(out) + "\n"
