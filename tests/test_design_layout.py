"""The questionnaire (peerinterview/design/) is one blueprint in four rooms: builder, codesign,
transfer and preview. These static checks keep that layout readable: every room has its
routes.py, nothing lies loose beside the rooms, the builder needs none of the other rooms, no room
imports another room's routes, design has no import cycle, and no design module imports the
routes or forms of another blueprint."""
import ast
from pathlib import Path

import pytest

# They read the code, not a database.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "peerinterview" / "design"
ROOMS = {"builder", "codesign", "transfer", "preview"}
# The preview shows a question with the interview's own answer form, so that it looks exactly as
# the interviewer will see it. That form is the interview's, and is used here on purpose.
ALLOWED_FOREIGN = {("peerinterview.design.preview.routes", "peerinterview.interview.forms")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, as an absolute name (for
    `from package import name`, also package.name: it may be a module)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _design_modules() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) for path in sorted(DESIGN.rglob("*.py"))}


def test_design_is_four_rooms_with_their_routes():
    loose = sorted(path.name for path in DESIGN.glob("*.py") if path.name != "__init__.py")
    assert not loose, f"put these in a room of design/ (builder, codesign, transfer, preview): {loose}"
    rooms = {path.name for path in DESIGN.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert rooms == ROOMS
    for room in ROOMS:
        assert (DESIGN / room / "routes.py").is_file(), room


def test_every_room_registers_its_routes_on_the_one_blueprint():
    imported = _imports(DESIGN / "__init__.py")
    for room in ROOMS:
        assert f"peerinterview.design.{room}.routes" in imported, room


def test_the_builder_needs_no_other_room():
    for module, imports in _design_modules().items():
        if module.startswith("peerinterview.design.builder"):
            others = sorted(name for name in imports for room in ROOMS - {"builder"}
                            if name.startswith(f"peerinterview.design.{room}"))
            assert not others, f"{module} imports {others}"


def test_no_room_imports_the_routes_of_another():
    for module, imports in _design_modules().items():
        if module == "peerinterview.design":
            continue  # the blueprint's package registers every room's routes
        room = module.split(".")[2]
        foreign = sorted(name for name in imports if name.startswith("peerinterview.design.")
                         and name.endswith(".routes") and name.split(".")[2] != room)
        assert not foreign, f"{module} imports {foreign}"


def test_no_import_cycle_in_design():
    modules = _design_modules()
    # Importing `bp` from the package is Flask's pattern (the package imports the routes at its
    # end, after making `bp`); it is no cycle of modules that need each other's functions.
    graph = {module: {name for name in imports if name in modules and name != "peerinterview.design"}
             for module, imports in modules.items()}
    state: dict[str, str] = {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                pytest.fail("import cycle: " + " -> ".join(path[path.index(target):] + [target]))
            if target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_no_design_module_imports_another_blueprints_routes_or_forms():
    problems = []
    for module, imports in _design_modules().items():
        for target in sorted({".".join(name.split(".")[:3]) for name in imports}):
            parts = target.split(".")
            if (len(parts) == 3 and parts[0] == "peerinterview" and parts[1] != "design"
                    and parts[2].endswith(("routes", "forms")) and (module, target) not in ALLOWED_FOREIGN):
                problems.append(f"{module} imports {target}")
    assert not problems, "\n".join(problems)


def test_the_checks_see_imports_inside_functions_and_relative_ones():
    # A check that parses nothing would pass anything: it must see a lazy, relative import.
    imports = _imports(DESIGN / "builder" / "services.py")
    assert "peerinterview.design.builder.history" in imports  # imported inside _next_key
    assert "peerinterview.audit" in imports
    assert "peerinterview.design.builder.history" in _imports(DESIGN / "codesign" / "services.py")
