"""The design document: the whole design space in one Markdown file that reads on GitHub.

Per decision: its evidence, its options (numbered, with their evidence and their force impacts as
`Force (polarity) [sources]`), the decisions that follow it, and its Mermaid diagram. Options and forces
link to their rows in the paper tables (`paper/overview.md`, `paper/forces.md`), each source id to the
quotes behind it (`quotes.md`, the output "quotes", with file:line), all written beside it by `gtkg build`.
The sources of an impact are those that contain both the option and the force; they link to the quotes
behind the force.
"""

import re

from gtkg.paper import anchor, decision_sources, option_anchor

OVERVIEW = "paper/overview.md"
FORCES = "paper/forces.md"
QUOTES = "quotes.md"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def write(space, output) -> str:
    cited = {variable: {quote.source for quote in quotes} for variable, quotes in space.quotes.items()}
    out = ["# Design space", "", _INTRO, ""]
    out += [f"- [{md(d.code.label)}](#{anchor('d', d.code.variable)})" for d in space.decisions] or ["No decisions."]
    for decision in space.decisions:
        out += ["", f'<a id="{anchor("d", decision.code.variable)}"></a>', "", f"## {md(decision.code.label)}", ""]
        evidence = _sources(cited, decision.code, decision.code.sources) or "none"
        out.append(f"Evidence: {evidence}. Sources with the decision or one of its options: "
                   f"{len(decision_sources(decision))}.")
        out += ["", "Options:", ""] if decision.options else ["", "No options."]
        for number, option in enumerate(decision.options, 1):
            out += _option(cited, decision, option, number)
        out += _next(space, decision)
        out += ["", "```mermaid", _mermaid(space, decision).rstrip("\n"), "```"]
    return "\n".join(out) + "\n"


_INTRO = ("The decisions of the study, each with the sources that give evidence of it, its options with their "
          "evidence and force impacts, the decisions that follow, and its diagram. Source ids link to the quotes "
          f"behind them ([quotes]({QUOTES}), with file and line); options and forces link to their rows in the "
          f"[overview]({OVERVIEW}) and [forces]({FORCES}) tables.")


def _option(cited: dict, decision, option, number: int) -> list[str]:
    kind = f", {option.code.kind}" if option.code.kind else ""
    named = f" ({md(option.code.label)}{kind})" if option.name and option.name != option.code.label else (
        f" ({option.code.kind})" if option.code.kind else "")
    evidence = _sources(cited, option.code, option.code.sources)
    out = [f"{number}. [{md(option.title)}]({OVERVIEW}#{option_anchor(decision, option)}){named}"
           + (f": {evidence}" if evidence else "")]
    for impact in option.impacts:
        sources = _sources(cited, impact.force, impact.sources)
        out.append(f"   - [{md(impact.force.label)}]({FORCES}#{impact.id}) ({md(impact.polarity)})"
                   + (f" [{sources}]" if sources else ""))
    return out


def _next(space, decision) -> list[str]:
    if not decision.next:
        return []
    out = ["", "Next decisions:", ""]
    for link in decision.next:
        target = space.code(link.end)
        start = "" if link.start == decision.code.variable else f" after {md(space.code(link.start).label)}"
        types = f" ({md(', '.join(link.types))})" if link.types else ""
        out.append(f"- [{md(target.label)}](#{anchor('d', target.variable)}){types}{start}")
    return out


def _sources(cited: dict, code, sources: list) -> str:
    """Source ids, each linked to the quotes of `code` in that source where there are any (`cited`: code
    variable -> the sources quoted for it)."""
    quoted = cited.get(code.variable, ())
    return ", ".join(f"[{md(source)}]({QUOTES}#{quote_anchor(code.variable, source)})" if source in quoted
                     else md(source) for source in sources)


def named_codes(space) -> list[str]:
    """The variables of the codes the document names: decisions, options and the forces they affect."""
    named = {}
    for decision in space.decisions:
        named[decision.code.variable] = None
        for option in decision.options:
            named[option.code.variable] = None
            named.update(dict.fromkeys(impact.force.variable for impact in option.impacts))
    return list(named)


def quote_anchor(code: str, source: str) -> str:
    return anchor("q", code, source)


def _mermaid(space, decision) -> str:
    from gtkg.diagrams import decision_diagram
    from gtkg.outputs import get

    output = get("mermaid", "diagram")
    return output.writer().write(decision_diagram(space, decision), output)


def md(text: str) -> str:
    """Text as Markdown shows it: its markup characters escaped, line breaks as spaces."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text)).replace("\n", " ")
