"""Diagrams to SVG, with a renderer installed on the machine: Graphviz's `dot` (which draws the DOT output)
or PlantUML (`plantuml` on the PATH, or java and the jar named by $PLANTUML_JAR, which draw the PlantUML
output). Neither is required: `renderer()` is None when none is installed, and HOW_TO_GET says how to get one.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gtkg.errors import RenderError

TIMEOUT = 60  # seconds one diagram may take
MOST_NODES = 300  # a larger diagram is not drawn: Graphviz takes minutes, and nobody reads the picture
HOW_TO_GET = ("install Graphviz (apt-get install graphviz, brew install graphviz, or graphviz.org/download) or "
              "PlantUML (apt-get install plantuml, or set PLANTUML_JAR to plantuml.jar) to get them as SVG")


@dataclass(frozen=True)
class Renderer:
    name: str
    format: str  # the diagram output it draws: dot or plantuml
    command: tuple


def renderer() -> Renderer | None:
    """Graphviz when installed, else PlantUML, else None."""
    if dot := shutil.which("dot"):
        return Renderer("Graphviz", "dot", (dot, "-Tsvg"))
    if plantuml := shutil.which("plantuml"):
        return Renderer("PlantUML", "plantuml", (plantuml, "-tsvg", "-pipe"))
    jar, java = os.environ.get("PLANTUML_JAR"), shutil.which("java")
    if jar and java and Path(jar).is_file():
        return Renderer("PlantUML", "plantuml", (java, "-Djava.awt.headless=true", "-jar", jar, "-tsvg", "-pipe"))
    return None


def render_svg(text: str, renderer: Renderer, name: str = "diagram") -> bytes:
    """The SVG of one diagram written in the renderer's format; `name` says which in errors."""
    env = {**os.environ, "PLANTUML_SECURITY_PROFILE": "SANDBOX"}  # PlantUML reads no file, no URL
    try:
        done = subprocess.run(renderer.command, input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{renderer.name} took over {TIMEOUT} s to draw the diagram {name}; the diagram "
                          "text is written beside it, draw it by hand") from None
    except OSError as exc:
        raise RenderError(f"cannot run {renderer.command[0]} to draw the diagram {name}: {exc.strerror or exc}") \
            from exc
    if done.returncode or not done.stdout:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"{renderer.name} failed to draw the diagram {name} (exit {done.returncode}): "
                          f"{problem[0] if problem else 'no output'}")
    return done.stdout
