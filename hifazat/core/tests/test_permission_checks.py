"""Which role may do what is said once, in ``core/permissions.py``: views, services and selectors ask the matrix
(``actor.can``, ``require``, ``roles_that_can``) and never compare the actor's role themselves, so that changing a
role's rights is one line in the matrix and the route-matrix test sees it."""

from __future__ import annotations

import ast
from pathlib import Path

from hifazat.core.permissions import PERMISSIONS, roles_that_can
from hifazat.core.roles import Role

HIFAZAT = Path(__file__).resolve().parents[2]
# The data builders make users of every role on purpose; the matrix and the roles are where roles are named.
LEFT_OUT = {"demo.py", "testing.py", "synthetic.py", "permissions.py", "roles.py"}


def role_comparisons(root: Path = HIFAZAT) -> list[str]:
    """Every comparison of an actor's role (``actor.role == ...``, ``request.actor.role in ...``) outside tests."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if {"tests", "migrations"} & set(relative.parts) or path.name in LEFT_OUT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for side in (node.left, *node.comparators):
                if (
                    isinstance(side, ast.Attribute)
                    and side.attr == "role"
                    and ast.unparse(side.value).split(".")[-1] == "actor"
                ):
                    found.append(f"{relative}:{node.lineno}")
    return found


def test_no_code_compares_an_actors_role_itself() -> None:
    assert role_comparisons() == []


def test_the_check_finds_a_role_compared_in_a_view(tmp_path) -> None:
    (tmp_path / "monitoring").mkdir()
    (tmp_path / "monitoring" / "views.py").write_text(
        "def f(request, actor, rp):\n"
        "    if request.actor.role == 'network_reporter':\n        pass\n"
        "    if actor.role in {'supervisor'}:\n        pass\n"
        "    if rp.role == 'companion':\n        pass\n"
    )
    assert role_comparisons(tmp_path) == ["monitoring/views.py:2", "monitoring/views.py:4"]


def test_roles_that_can_reads_the_matrix() -> None:
    assert roles_that_can("monitoring.triage") == PERMISSIONS["monitoring.triage"]
    assert Role.NETWORK_REPORTER not in roles_that_can("monitoring.report_unregistered")
    assert Role.DONOR_VIEWER not in roles_that_can("livelihoods.aggregates_implemented")
