"""The code keeps its own rules: no module of the core keeps state between calls, and the tests and
the benchmark launch Chromium in one place, our scripts use no theme internals, every site URL
is spelled in qbank/routes.py, and the README names every module and data file."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

# Calls that change a container in place.
MUTATORS = {"add", "append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove",
            "discard", "clear"}


def _module_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def module_state(source: str) -> list[str]:
    """Where a function changes a module-level name: assigns it through `global`, changes it in
    place, or stores into it."""
    tree = ast.parse(source)
    names = _module_names(tree)
    found: list[str] = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        for node in ast.walk(function):
            if isinstance(node, ast.Global):
                found += [f"line {node.lineno}: global {name}" for name in node.names]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id in names
                  and node.func.attr in MUTATORS):
                found.append(f"line {node.lineno}: {node.func.value.id}.{node.func.attr}()")
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
                targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
                found += [f"line {node.lineno}: {t.value.id}[...]" for t in targets
                          if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in names]
    return sorted(found, key=lambda where: int(where.split(":")[0].removeprefix("line ")))


def test_the_state_finder_finds_a_module_level_cache() -> None:
    source = "_seen = set()\n_memo = {}\nN = 0\n" \
             "def f(x):\n    global N\n    _seen.add(x)\n    _memo[x] = 1\n    local = set()\n    local.add(x)\n"
    assert module_state(source) == ["line 5: global N", "line 6: _seen.add()", "line 7: _memo[...]"]


def test_no_core_module_keeps_state_between_calls() -> None:
    found = {path.name: where for path in sorted((ROOT / "qbank").glob("*.py"))
             if (where := module_state(path.read_text(encoding="utf-8")))}
    assert not found, (f"module-level state in {found}: keep it on the per-build object (qbank.site.Build) "
                       "and pass it in, as load_bank's valid= and clean=")



def _launches(source: str) -> list[int]:
    """Lines that launch a browser from a Playwright browser type."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"launch", "launch_persistent_context"}]


def test_tests_and_benchmark_launch_chromium_only_through_the_shared_launcher() -> None:
    assert _launches("fake = browser.browser_type.launch(args=[])\n") == [1]
    shared = ROOT / "tests" / "support.py"
    others = {f"{path.relative_to(ROOT)}:{line}" for folder in ("tests", "bench")
              for path in sorted((ROOT / folder).glob("*.py")) if path != shared
              for line in _launches(path.read_text(encoding="utf-8"))}
    assert not others, f"launch Chromium with tests.support.launch_chromium (extra_args for more flags): {others}"
    assert _launches(shared.read_text(encoding="utf-8")), "tests/support.py launches Chromium"


def test_no_script_of_ours_reads_the_themes_internal_globals() -> None:
    """Material's `__md_scope`, `__md_get`, ... are its bundle's own, not an API: our scripts find the
    site's root from their own URL."""
    found = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "docs" / "javascripts").glob("*.js"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "__md_" in line]
    assert not found, f"the theme's internal globals are used at {found}"


def test_the_readme_module_list_names_every_module_and_data_file() -> None:
    """The README's "How it is built" list is the data flow a newcomer reads: a module or data file
    it leaves out is a step they cannot see."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it is built"):]
    block = section[section.index("```"):section.index("```", section.index("```") + 3)]
    modules = {f"qbank/{path.name}" for path in (ROOT / "qbank").glob("*.py") if not path.name.startswith("__")}
    data = {f"data/{path.name}" for path in (ROOT / "data").glob("*.json") if not path.name.endswith(".schema.json")}
    missing = sorted(name for name in modules | data if name not in block)
    assert not missing, f"README's module list does not name {missing}: add one line each (what it reads, makes)"


# A site path spelled out: a page folder followed by "/" or a page file ending in ".md".
SITE_PATH = re.compile(r"(?<![\w.-])(topics|print|tags|practice|mock|plans|numbers|downloads)(/|\.md\b)")


def site_paths(source: str) -> list[str]:
    """Site paths spelled in the code's strings (f-string parts included), docstrings left out."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"line {node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and SITE_PATH.search(node.value)]


def test_the_path_finder_finds_a_page_url_in_an_f_string() -> None:
    source = 'def f(q):\n    """topics/ in a docstring is prose."""\n    return f"topics/{q.topic}/#{q.id}"\n'
    assert site_paths(source) == ["line 3: 'topics/'"]
    assert site_paths('PLANS_EDIT_PATH = "data/plans.json"\n') == []


def test_every_site_url_is_spelled_in_routes_only() -> None:
    found = {path.name: where for path in sorted((ROOT / "qbank").glob("*.py")) if path.name != "routes.py"
             if (where := site_paths(path.read_text(encoding="utf-8")))}
    assert not found, f"site paths spelled outside qbank/routes.py: {found}; add a name to routes.py and import it"
