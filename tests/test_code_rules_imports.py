"""The import rules of the package, read from the code (the AST), not from a running app:

- No import cycle among the modules of peerinterview/. A cycle works only as long as the import
  order happens to suit it (the reason for imports hidden inside functions), and it makes a
  module impossible to read or test on its own.
- No feature imports another feature's `routes` or `forms`. Views and forms are a feature's
  outside: what two features share lives in a services or helper module of its owner (or in
  peerinterview/vocabulary.py for labels), so a feature can change its pages alone.

Imports inside functions count as much as those at the top: hiding an import in a function
hides a cycle, it does not remove it.
"""
import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "peerinterview"
# The features: one package with a Blueprint each.
FEATURES = {"accounts", "design", "followup", "interview", "panel", "pool", "process", "projects", "report", "security"}

# Known breaches, each with its reason.
# Each entry: (importing module, imported module).
ALLOWED_CROSS_IMPORTS = {
    # The preview of a question shows the interview's own question screen with its real form.
    ("peerinterview.design.preview.routes", "peerinterview.interview.forms"),
}
ALLOWED_CYCLES: set[frozenset[str]] = set()


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path, PACKAGE.parent): path for path in PACKAGE.rglob("*.py") if "static" not in path.parts}


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The module an `from <dots><name> import …` in `module` names."""
    if not level:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imports_of(module: str, path: Path, known: set[str]) -> set[tuple[str, int]]:
    """(imported module of the package, line) for every import in `module`, at any depth.
    `from a import b` counts as an import of a.b when b is a module, else of a."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {(alias.name, node.lineno) for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, path.name == "__init__.py", node.level, node.module)
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.add((f"{target}.{alias.name}", node.lineno))
                elif target in known:
                    found.add((target, node.lineno))
    return found


def import_graph() -> dict[str, set[tuple[str, int]]]:
    modules = package_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[tuple[str, int]]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted.

    An import of a module's own parent package is left out: Python has always finished starting
    the parent before a child runs (a blueprint's routes take `bp` from the package, whose
    __init__ imports the routes last), so that edge cannot fail."""
    edges = {name: sorted({target for target, _line in targets if not name.startswith(target + ".")})
             for name, targets in graph.items()}
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        # Iterative, so a deep chain of imports cannot hit the recursion limit.
        work = [(node, iter(edges[node]))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[current] = min(low[current], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return sorted(found)


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FEATURES else None


def is_outside_of_a_feature(module: str) -> bool:
    """A feature's routes or forms module: routes.py, forms.py, or *_routes.py, *_forms.py."""
    last = module.rsplit(".", 1)[-1]
    return feature_of(module) is not None and (last in ("routes", "forms") or last.endswith(("_routes", "_forms")))


def cross_imports(graph: dict[str, set[tuple[str, int]]]) -> list[tuple[str, int, str]]:
    found = []
    for module, targets in graph.items():
        own = feature_of(module)
        if own is None:
            continue
        for target, line in targets:
            if is_outside_of_a_feature(target) and feature_of(target) != own:
                found.append((module, line, target))
    return sorted(found)


def test_no_import_cycle_among_the_modules():
    found = [component for component in cycles(import_graph()) if frozenset(component) not in ALLOWED_CYCLES]
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(component) for component in found)


def test_no_feature_imports_the_routes_or_forms_of_another():
    found = [(module, line, target) for module, line, target in cross_imports(import_graph())
             if (module, target) not in ALLOWED_CROSS_IMPORTS]
    assert not found, "\n".join(f"{module} (line {line}) imports {target}" for module, line, target in found)


def test_the_allow_lists_hold_only_what_still_happens():
    """An entry that no longer happens must go, so the lists only ever shrink."""
    graph = import_graph()
    happening = {(module, target) for module, _line, target in cross_imports(graph)}
    assert ALLOWED_CROSS_IMPORTS <= happening, ALLOWED_CROSS_IMPORTS - happening
    assert ALLOWED_CYCLES <= {frozenset(component) for component in cycles(graph)}


# --- the checks themselves find what they are for ---------------------------------------------

def _graph_of(tmp_path: Path, files: dict[str, str]) -> dict[str, set[tuple[str, int]]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    modules = {module_name(path, tmp_path): path for path in tmp_path.rglob("*.py")}
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    graph = _graph_of(tmp_path, {
        "peerinterview/__init__.py": "",
        "peerinterview/report/__init__.py": "from flask import Blueprint\nbp = Blueprint('r', __name__)\n"
                                            "from . import routes\n",
        "peerinterview/report/routes.py": "from . import bp\nfrom .pdf import make\n",
        "peerinterview/report/pdf.py": "def make():\n    from .routes import context\n",
    })
    assert cycles(graph) == [["peerinterview.report.pdf", "peerinterview.report.routes"]]


def test_the_blueprint_pattern_is_no_cycle(tmp_path):
    graph = _graph_of(tmp_path, {
        "peerinterview/__init__.py": "",
        "peerinterview/pool/__init__.py": "bp = 1\nfrom . import routes\n",
        "peerinterview/pool/routes.py": "from . import bp\n",
    })
    assert cycles(graph) == []


def test_an_import_of_another_features_forms_or_routes_is_found(tmp_path):
    graph = _graph_of(tmp_path, {
        "peerinterview/__init__.py": "",
        "peerinterview/interview/__init__.py": "",
        "peerinterview/interview/forms.py": "",
        "peerinterview/interview/services.py": "",
        "peerinterview/security/__init__.py": "",
        "peerinterview/security/data_routes.py": "",
        "peerinterview/pool/__init__.py": "",
        "peerinterview/pool/routes.py": "from ..interview import forms\nfrom ..interview.services import x\n"
                                        "def f():\n    import peerinterview.security.data_routes\n",
        "peerinterview/pool/forms.py": "from .routes import y\n",
    })
    assert cross_imports(graph) == [
        ("peerinterview.pool.routes", 1, "peerinterview.interview.forms"),
        ("peerinterview.pool.routes", 4, "peerinterview.security.data_routes"),
    ]
