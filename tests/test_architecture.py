"""The layers of docs/architecture.md, checked on the source: imports go one way, there is no
import cycle, no private name crosses a module, and jdcore never imports Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jdcore"

# Lowest first: a module may import from its own layer and the layers before it, never after.
LAYERS = ["navigation", "model", "loading", "analysis", "formats", "store", "charts", "synth",
          "cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def jdcore_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(imported module, names) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, [alias.name for alias in node.names]))
    return found


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "jdcore" else ""


def internal_edges() -> dict[str, set[str]]:
    """module -> the jdcore modules it imports (a `from pkg import mod` counts as pkg.mod)."""
    modules = jdcore_modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for module, names in imports_of(path):
            if not module.startswith("jdcore"):
                continue
            targets = {f"{module}.{n}" for n in names if f"{module}.{n}" in modules}
            edges[name] |= targets or ({module} if module in modules else set())
    return edges


def test_every_module_belongs_to_a_known_layer():
    unknown = {m for m in jdcore_modules() if m not in ("jdcore", "jdcore.__main__")
               and layer_of(m) not in LAYERS}
    assert not unknown, f"modules outside the layers of docs/architecture.md: {sorted(unknown)}"


def test_imports_only_go_down_the_layers():
    upward = []
    for module, targets in internal_edges().items():
        if module in ("jdcore", "jdcore.__main__"):
            continue
        mine = LAYERS.index(layer_of(module))
        upward += [f"{module} -> {t}" for t in targets
                   if t != "jdcore" and LAYERS.index(layer_of(t)) > mine]
    assert not upward, "imports against the layer order:\n" + "\n".join(sorted(upward))


def test_the_import_graph_has_no_cycle():
    edges = internal_edges()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = 2
        path.pop()
        return None

    for module in sorted(edges):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("folder", ["jdcore", "pages", "tests", "bench"])
def test_no_private_name_is_imported_from_another_module(folder):
    crossing = []
    for path in (ROOT / folder).rglob("*.py"):
        for module, names in imports_of(path):
            if module.startswith(("jdcore", "pages")):
                crossing += [f"{path.relative_to(ROOT)}: {module}.{n}" for n in names
                             if n.startswith("_") and n != "__version__"]
    assert not crossing, "private names imported across modules:\n" + "\n".join(crossing)


def test_jdcore_never_imports_streamlit():
    offenders = [name for name, path in jdcore_modules().items()
                 if any(m.split(".")[0] == "streamlit" for m, _ in imports_of(path))]
    assert not offenders


def test_the_readme_page_table_is_the_registry():
    from jdcore.navigation import PAGES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert f"| {page.title} | {page.audience} | {page.summary} |" in readme, page.key


def test_every_page_of_the_registry_has_its_script():
    from jdcore.navigation import PAGES

    assert all((ROOT / page.script).is_file() for page in PAGES)
