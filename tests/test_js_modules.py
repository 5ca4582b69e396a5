"""The offline code is a folder of ES modules (peerinterview/static/js/offline/) that
scripts/build_assets.py bundles into one closure. These tests hold the bundler to what it promises
(a module that does not fit is refused with a message, not bundled into something else) and the
modules to the rules that make them readable: modern syntax, and every field of the shared state
declared in state.js with a word on what it means."""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = ROOT / "peerinterview" / "static" / "js" / "offline"


@pytest.fixture(scope="module")
def build_assets():
    spec = importlib.util.spec_from_file_location("build_assets", ROOT / "scripts" / "build_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write(folder, **files):
    for name, source in files.items():
        (folder / f"{name}.js").write_text(source, encoding="utf-8")
    return folder


def test_the_modules_come_after_what_they_import(build_assets):
    modules = build_assets.read_modules(OFFLINE)
    order = build_assets.module_order(modules)
    assert sorted(order) == sorted(p.name for p in OFFLINE.glob("*.js"))
    assert order[-1] == "main.js"
    for name, module in modules.items():
        for sibling in module["imports"]:
            assert order.index(sibling) < order.index(name), (sibling, name)


def test_the_bundle_runs_the_modules_in_one_closure(build_assets, tmp_path):
    write(tmp_path, a='export const one = 1;\nconst hidden = 2;\n',
          b='import { one } from "./a.js";\nexport function two() { return one + 1; }\n')
    bundle = build_assets.bundle_modules(tmp_path)
    assert bundle.startswith('(()=>{"use strict";')
    assert "import" not in bundle and "export" not in bundle
    assert bundle.index("const one = 1") < bundle.index("function two()")


@pytest.mark.parametrize("files, says", [
    ({"a": 'import { b } from "./b.js";\nexport const a = 1;\n',
      "b": 'import { a } from "./a.js";\nexport const b = 2;\n'}, "circle"),
    ({"a": 'import { missing } from "./b.js";\n', "b": "export const b = 1;\n"}, "does not export"),
    ({"a": 'import { b } from "./b.js";\n', "b": "const b = 1;\n"}, "does not export"),
    ({"a": 'import { b } from "./nowhere.js";\n'}, "not in the folder"),
    ({"a": "const twice = 1;\n", "b": "export function twice() {}\n"}, "declared in a.js and in b.js"),
    ({"a": "export default function () {}\n"}, "only `import"),
    ({"a": "const x = 1;\nexport { x };\n"}, "only `import"),
    ({"a": 'import * as b from "./b.js";\n', "b": "export const b = 1;\n"}, "only `import"),
])
def test_modules_that_do_not_fit_are_refused_with_the_reason(build_assets, tmp_path, files, says):
    write(tmp_path, **files)
    with pytest.raises(build_assets.ModuleError, match=re.escape(says)):
        build_assets.bundle_modules(tmp_path)


def test_the_modules_use_modern_syntax():
    for path in OFFLINE.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*var\s", source, re.MULTILINE), f"{path.name}: use const or let"
        assert "function ()" not in source and "function()" not in source, f"{path.name}: use an arrow function"


def test_every_field_of_the_shared_state_is_declared_with_its_meaning():
    declared = dict(re.findall(r"^  (\w+): [^,]+,\s*//\s*(\S.*)$",
                               (OFFLINE / "state.js").read_text(encoding="utf-8"), re.MULTILINE))
    used = set()
    for path in OFFLINE.glob("*.js"):
        # Without import lines and comments (which name "state.js" itself).
        source = re.sub(r"^import .*$|//.*$", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        used |= set(re.findall(r"\bstate\.(\w+)", source))
        for fields in re.findall(r"Object\.assign\(state, \{([^}]*)\}", source):
            used |= set(re.findall(r"(\w+):", fields))
    assert used - set(declared) == set(), "declare these in state.js"
    assert set(declared) - used == set(), "no longer used: remove from state.js"
