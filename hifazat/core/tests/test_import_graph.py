"""The parts build on each other in one order, and no part imports a later one: a later part adds to an earlier
one's pages through hooks (``core.hooks``). This reads every module's imports (lazy ones inside functions too,
since they are dependencies all the same) and fails on an arrow that points up the order.

Left out: tests, migrations, and the modules that build data for the demo, tests and benchmarks (``demo.py``,
``testing.py``, ``synthetic.py``): they write through every part's services and use the demo's name pool by
design, and the running system never imports them. Imports under ``if TYPE_CHECKING:`` are for type checkers only.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

HIFAZAT = Path(__file__).resolve().parents[2]

# Lower first; docs/architecture.md says the same.
ORDER = [
    "core",
    "accounts",
    "geography",
    "api",
    "matching",
    "people",
    "screening",
    "notifications",
    "cases",
    "referrals",
    "tracing",
    "monitoring",
    "campaigns",
    "livelihoods",
    "intake",
    "reporting",
    "demo",
]
DATA_BUILDERS = {"demo.py", "testing.py", "synthetic.py"}


def _runtime_imports(tree: ast.AST, *, names: bool = False):
    """Every ``hifazat.<part>`` module imported, outside ``if TYPE_CHECKING:`` blocks (with ``names``, also each
    name imported from one, since ``from hifazat.people import merge`` imports the module ``merge``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (
                name
                for child in node.orelse
                for name in _runtime_imports(ast.Module([child], []), names=names)
            )
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hifazat."):
            yield node.module
            if names:
                yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("hifazat."))
        yield from _runtime_imports(node, names=names)


def upward_arrows(root: Path = HIFAZAT) -> dict[tuple[str, str], list[str]]:
    rank = {part: i for i, part in enumerate(ORDER)}
    arrows: dict[tuple[str, str], list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        part = relative.parts[0]
        if {"tests", "migrations"} & set(relative.parts) or path.name in DATA_BUILDERS:
            continue
        for module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = module.split(".")[1]
            if target in rank and part in rank and rank[target] > rank[part]:
                arrows.setdefault((part, target), []).append(str(relative))
    return arrows


def _task_imports(tree: ast.AST, *, in_function: bool = False):
    """``(module or name, inside a function)`` for each import from a part's ``tasks`` module."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".tasks"):
            for name in (node.module, *(f"{node.module}.{alias.name}" for alias in node.names)):
                yield name, in_function
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _task_imports(node, in_function=inside)


def import_circles(root: Path = HIFAZAT) -> list[list[str]]:
    """Circles among modules, through imports at module level and inside functions alike: an import moved into a
    function only hides a circle (it no longer fails when the module loads), the modules still need each other.

    One lazy import is not counted: a function that starts long work importing its part's ``tasks`` to enqueue
    the task (``tasks`` imports the work it runs; the start of the work names the task that runs it)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if {"tests", "migrations"} & set(relative.parts) or path.name in DATA_BUILDERS:
            continue
        module = ".".join(("hifazat", *relative.with_suffix("").parts)).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tasks = list(_task_imports(tree))
        enqueued_only = {name for name, lazy in tasks if lazy} - {name for name, lazy in tasks if not lazy}
        graph[module] = set(_runtime_imports(tree, names=True)) - enqueued_only
    graph = {module: {t for t in targets if t in graph and t != module} for module, targets in graph.items()}
    # Tarjan's strongly connected components: a component of more than one module is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return circles


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert import_circles() == []


def test_the_check_finds_a_circle(tmp_path) -> None:
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "merge.py").write_text("from hifazat.people.duplicates import scan\n")
    (tmp_path / "people" / "duplicates.py").write_text("from hifazat.people import merge\n")
    (tmp_path / "people" / "search.py").write_text("def f():\n    from hifazat.people import merge\n")
    (tmp_path / "people" / "services.py").write_text("from hifazat.people.tasks import scan\n")
    # A job's start enqueues its task, which runs the job: not a circle.
    (tmp_path / "people" / "batch.py").write_text(
        "from hifazat.core.jobs import job_create\n"
        "def batch_start():\n    from hifazat.people.tasks import batch_run\n"
        "def batch_job():\n    pass\n"
    )
    (tmp_path / "people" / "tasks.py").write_text(
        "from hifazat.people.batch import batch_job\n"
        "def scan():\n    from hifazat.people.services import age\n"
    )
    assert import_circles(tmp_path) == [
        ["hifazat.people.duplicates", "hifazat.people.merge"],
        ["hifazat.people.services", "hifazat.people.tasks"],
    ]


def test_every_part_is_in_the_order() -> None:
    installed = {name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("hifazat.")}
    assert installed - set(ORDER) == set()


def test_no_part_imports_a_later_one() -> None:
    assert upward_arrows() == {}


def test_the_check_finds_an_arrow_up_the_order(tmp_path) -> None:
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "views.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from hifazat.core.audit import Actor\n"
        "if TYPE_CHECKING:\n    from hifazat.cases.models import Case\n"
        "def f():\n    from hifazat.screening.models import Screening\n"
    )
    (tmp_path / "people" / "testing.py").write_text("from hifazat.demo.names import FAMILY\n")
    assert upward_arrows(tmp_path) == {("people", "screening"): ["people/views.py"]}
