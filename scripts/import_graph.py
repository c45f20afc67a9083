"""Check the import graph of the realpolitik package: no circles, no arrow up from a stage.

Usage::

    python scripts/import_graph.py [--src src] [--edges]

Every ``import`` and ``from ... import`` in every module counts, also those inside functions
(a lazy import is still a dependency); imports under ``if TYPE_CHECKING:`` do not (they never
run). ``from package import name`` counts as an arrow to the submodule when ``name`` is one.
Importing a submodule is an arrow to that module only, not to the packages above it.

Two rules:

1. **No circles**: every strongly connected component of more than one module is printed with
   one circle through it.
2. **Stages stay below**: a stage (actors, events, quotes, places, dates, relations, nlp) never
   imports the store, batch processing (batch, and its old names corpus, scale, batching;
   ingest), evaluation or training code. Each such arrow is printed with the file and line of
   the import.

Exit status 1 when either rule is broken, else 0. ``--edges`` also prints every arrow.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "realpolitik"
STAGES = ("actors", "events", "quotes", "places", "dates", "relations", "nlp")
UPPER = ("store", "batch", "corpus", "scale", "batching", "ingest", "evaluate", "training")


@dataclass(frozen=True)
class Arrow:
    """One import: ``source`` imports ``target`` at ``path``:``line``."""

    source: str
    target: str
    path: Path
    line: int


def module_names(src: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package under ``src``."""
    out: dict[str, Path] = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers of statements under ``if TYPE_CHECKING:``."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for stmt in node.body:
                    for sub in ast.walk(stmt):
                        if hasattr(sub, "lineno"):
                            lines.add(sub.lineno)
    return lines


def _imports(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_lines(tree)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in modules else target), node.lineno


def arrows(src: Path) -> list[Arrow]:
    """Every import between two modules of the package."""
    modules = module_names(src)
    out: list[Arrow] = []
    for name, path in modules.items():
        for target, line in _imports(name, path, modules):
            # "import realpolitik.quotes.model" names a module; a deeper name is an attribute.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith(PACKAGE):
                out.append(Arrow(name, target, path, line))
    return out


def cycles(edges: list[Arrow]) -> list[list[str]]:
    """One circle through each strongly connected component of two or more modules."""
    graph: dict[str, set[str]] = {}
    for a in edges:
        graph.setdefault(a.source, set()).add(a.target)
        graph.setdefault(a.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    # Iterative Tarjan: the package is small, but recursion depth should not be a concern.
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp: list[str] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    components.append(sorted(comp))
    return [_circle(graph, comp) for comp in components]


def _circle(graph: dict[str, set[str]], comp: list[str]) -> list[str]:
    """A shortest circle from the first module of ``comp`` back to itself, inside ``comp``."""
    members = set(comp)
    start = comp[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    nxt.append(child)
        frontier = nxt
    return comp  # pragma: no cover - a component of two or more always holds a circle


def _layer(module: str, names: tuple[str, ...]) -> bool:
    parts = module.split(".")
    return len(parts) > 1 and parts[1] in names


def upward(edges: list[Arrow]) -> list[Arrow]:
    """Arrows from a stage up to the store, batch, evaluation or training code."""
    return [a for a in edges if _layer(a.source, STAGES) and _layer(a.target, UPPER)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=str(Path(__file__).resolve().parents[1] / "src"))
    ap.add_argument("--edges", action="store_true", help="print every arrow too")
    args = ap.parse_args(argv)
    src = Path(args.src)
    edges = arrows(src)
    if args.edges:
        for a in sorted(edges, key=lambda a: (a.source, a.target)):
            print(f"{a.source} -> {a.target}")
    found = cycles(edges)
    up = upward(edges)
    print(f"{len(module_names(src))} modules, {len(edges)} imports")
    for circle in found:
        print("circle: " + " -> ".join(circle))
    for a in up:
        print(f"upward: {a.source} -> {a.target} ({a.path.relative_to(src)}:{a.line})")
    if not found and not up:
        print("no circles, no arrow from a stage up to store, batch, evaluate or training")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
