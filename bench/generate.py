"""Generate a synthetic grounded-theory study in both input formats, shaped like real ones.

Per 100 sources: about 10 decisions, 200 options, 60 forces, 400 force impacts, 150 dependencies, 20 codes
per source drawn with a skewed (Zipf-like) popularity, 10 excerpts and traces per note. Deterministic from
the seed: the same arguments always write the same bytes.

    python bench/generate.py --scale 10 --out /tmp/study10   # 1,000 sources
"""

import argparse
import random
from pathlib import Path

WORDS = ("data platform product mesh pipeline stream event domain team contract schema catalog lineage quality "
         "storage compute query access governance policy template latency cost scale owner consumer producer "
         "api batch serverless container cluster monitoring deployment interface").split()
SOURCE_TYPES = ("Practitioner Audience Article", "Blog Post", "Tool Documentation", "Slides", "Video Streaming")
POLARITIES = ("very_positive", "positive", "positive", "neutral", "negative", "negative", "very_negative",
              "positive_and_negative")
DEPENDENCY_TYPES = ("uses", "can_use", "requires", "can_be_combined_with", "includes", "alternative_to",
                    "is_a", "realizes", "leads_to", "enables")


class Study:
    def __init__(self, scale: float, seed: int):
        self.rng = random.Random(seed)
        self.sources = max(1, round(100 * scale))
        self.decisions = [f"decision_{i}" for i in range(max(1, round(10 * scale)))]
        self.options = [f"option_{i}" for i in range(max(2, round(200 * scale)))]
        self.forces = [f"force_{i}" for i in range(max(1, round(60 * scale)))]
        self.codes = self.options + self.forces + self.decisions
        # Zipf-like popularity: a few codes occur in many sources, most in few.
        self.weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.codes))]
        self.rng.shuffle(self.weights)

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def label(self, var: str) -> str:
        kind, number = var.rsplit("_", 1)
        return f"{kind.title()} {number}: {self.words(2).title()}"

    def source_codes(self) -> list[str]:
        chosen = set()
        while len(chosen) < min(20, len(self.codes)):
            chosen.update(self.rng.choices(self.codes, weights=self.weights, k=20 - len(chosen)))
        return sorted(chosen, key=self.codes.index)


def source_values(study: Study, n: int) -> dict:
    pick = random.Random(n)  # titles depend on n only: notes and model agree
    title = " ".join(pick.choice(WORDS) for _ in range(5)).title()
    return {"title": f"Source {n}: {title}", "url": f"https://example.org/s{n}",
            "tiny url": f"https://tinyurl.com/synthetic-s{n}", "archive url": f"https://archive.example.org/s{n}",
            "author type": "Practitioner", "type": SOURCE_TYPES[n % len(SOURCE_TYPES)], "example": n % 3 == 0,
            "source code": n % 4 == 0}


def cclass_source(n: int, values: dict) -> str:
    items = ",\n".join(f'    "{k}": {v!r}' if isinstance(v, bool) else f'    "{k}": "{v}"' for k, v in values.items())
    return f's{n} = CClass(source, "s{n}", values={{\n{items}}})'


def note(study: Study, n: int, codes: list[str]) -> str:
    values = source_values(study, n)
    header = (f"# s \n{n}\n## url\n{values['url']}\n## tiny url\n{values['tiny url']}\n## archive url\n"
              f"{values['archive url']}\n## title\n{values['title']}\n## source code\n"
              f"{'yes' if values['source code'] else 'no'}\n## example\n{'yes' if values['example'] else 'no'}\n"
              f"## source type \n{values['type']}\n## author type\n{values['author type']}\n## references\n\n"
              f"**AXIAL CODING TRACE**: source and references\n``` python\n{cclass_source(n, values)}\n```\n\n"
              "# coding\n\n")
    parts = [header]
    for block in range(10):
        mine = codes[block * 2:block * 2 + 2] or codes[:1]
        parts.append(f"> {study.words(40)}\n{study.words(30)}\n\n**OPEN CODING TRACE:**\n\n"
                     f"Familiar options: {', '.join(mine)}\n\n**AXIAL CODING TRACE:**\n\nadd codes to s{n}: \n"
                     "``` python \n    '''\n        " + ",\n        ".join(mine) + "\n    ''' \n")
        options = [c for c in mine if c.startswith("option")]
        forces = [c for c in codes if c.startswith("force")]
        if options and forces and block % 3 == 0:
            polarity = study.rng.choice(POLARITIES)
            parts.append(f"    add_force_relations({{{options[0]}: {{{forces[0]}: {polarity}}}}})\n")
        parts.append("```\n\n")
    return "".join(parts)


def guidance_model(study: Study) -> str:
    rng = study.rng
    lines = ["from codeable_models import CClass, add_links",
             "from metamodels.guidance_metamodel import *", "", "",
             "def add_force_relations(force_relations_definition):",
             "    for option in force_relations_definition.keys():",
             "        for force_ in force_relations_definition[option]:",
             "            stereotype = (force_relations_definition[option])[force_]",
             '            add_links({option: force_}, role_name="forces", stereotype_instances=stereotype)', ""]
    lines += [f'{d} = CClass(decision, "{study.label(d)}")' for d in study.decisions]
    lines += [f'{o} = CClass({"pattern" if i % 3 else "practice"}, "{study.label(o)}")'
              for i, o in enumerate(study.options)]
    lines += [f'{f} = CClass(force, "{study.label(f)}")' for f in study.forces]
    for i, option in enumerate(study.options):
        decision = study.decisions[i % len(study.decisions)]
        lines.append(f'add_decision_option_link({decision}, {option}, "{study.words(3).title()}")')
    impacts: dict[str, dict[str, str]] = {}
    for _ in range(round(400 * len(study.options) / 200)):
        impacts.setdefault(rng.choice(study.options), {})[rng.choice(study.forces)] = rng.choice(POLARITIES)
    lines.append("add_force_relations({")
    for option, forces in impacts.items():
        lines.append(f"    {option}: {{" + ", ".join(f"{f}: {p}" for f, p in forces.items()) + "},")
    lines.append("})")
    for i in range(round(150 * len(study.options) / 200)):
        a, b = rng.sample(study.options, 2)
        lines.append(f'dep_{i} = {a}.add_links({b}, role_name="from", '
                     f'stereotype_instances={rng.choice(DEPENDENCY_TYPES)})[0]')
    for i, decision in enumerate(study.decisions[1:], 1):
        lines.append(f'add_links({{{study.options[i]}: {decision}}}, role_name="next decision", '
                     'stereotype_instances=optional_next)')
    return "\n".join(lines) + "\n"


def sources_model(study: Study, contained: dict[int, list[str]]) -> str:
    lines = ["from codeable_models import CClass, add_links", "from study_model import *", ""]
    for n, codes in contained.items():
        lines.append(cclass_source(n, source_values(study, n)))
        lines.append(f"s{n}_codes = [" + ", ".join(codes) + "]")
        lines.append(f'add_links({{s{n}: s{n}_codes}}, role_name="contained_code")')
    return "\n".join(lines) + "\n"


def generate(scale: float, out: Path, seed: int = 42) -> Path:
    study = Study(scale, seed)
    (out / "notes").mkdir(parents=True, exist_ok=True)
    (out / "models").mkdir(parents=True, exist_ok=True)
    contained = {}
    for n in range(1, study.sources + 1):
        contained[n] = study.source_codes()
        (out / "notes" / f"s_{n}.md").write_text(note(study, n, contained[n]), encoding="utf-8")
    (out / "models" / "study_model.py").write_text(guidance_model(study), encoding="utf-8")
    (out / "models" / "sources_and_codes_model.py").write_text(sources_model(study, contained), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100 sources (default 1)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True, help="folder to write notes/ and models/ into")
    args = parser.parse_args()
    generate(args.scale, args.out, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
