"""The access rules of docs/architecture.md, checked on the source and on the URL map.

- screens (audience apps) never read tenant rows themselves: no ``Model.objects`` of a tenant model and no
  organisation filter outside the selectors;
- screens never open transactions nor write audit entries (services do; reads go through
  ``organisations.access.access_record``);
- every trainer URL is guarded by ``trainer_required``, every learner URL by ``learner_required`` (or is
  marked public), and domain apps never import audience apps.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1] / "tremplin"
AUDIENCE_APPS = ("learner", "trainer", "public", "network", "api")
DOMAIN_APPS = ("accounts", "organisations", "catalog", "diagnostic", "simulators", "progress", "coaching", "cv",
               "stats", "audit", "privacy", "lib")
TENANT_MODELS = {"Organisation", "Enrolment", "Membership", "Invitation", "LearnerImport", "SignupLink",
                 "LearnerShare", "Group", "Workshop", "Attendance", "Assignment", "Note", "Accompaniment",
                 "DiagnosticSession", "AuditEntry", "User"}
ORGANISATION_FILTER = re.compile(r"\b\w*organisation(_id|__\w+)?\s*=(?!=)")


def _sources(apps) -> list[Path]:
    return [p for app in apps for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _screen_sources() -> list[Path]:
    """Audience apps, and the forms/exports of any app (they shape what a screen shows)."""
    extra = [p for p in ROOT.rglob("*.py") if p.name.startswith(("forms", "exports"))]
    return sorted(set(_sources(AUDIENCE_APPS)) | set(extra))


def _calls(tree) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def test_screens_never_read_tenant_rows_themselves():
    found = []
    for path in _screen_sources():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
                    and node.value.id in TENANT_MODELS):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.objects")
        for call in _calls(tree):
            if (isinstance(call.func, ast.Name) and call.func.id == "get_object_or_404" and call.args
                    and isinstance(call.args[0], ast.Name) and call.args[0].id in TENANT_MODELS):
                found.append(f"{path.relative_to(ROOT)}:{call.lineno} get_object_or_404({call.args[0].id}…)")
            if isinstance(call.func, ast.Attribute) and call.func.attr in {"filter", "exclude", "get",
                                                                           "get_or_create", "update"}:
                for kw in call.keywords:
                    if kw.arg and ORGANISATION_FILTER.match(f"{kw.arg}="):
                        found.append(f"{path.relative_to(ROOT)}:{call.lineno} .{call.func.attr}({kw.arg}=…)")
    assert not found, "tenant reads belong in a selector that takes the scope:\n" + "\n".join(found)


def test_screens_never_open_transactions_nor_write_audit_entries():
    found = []
    for path in _screen_sources():
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search(r"\btransaction\b|\baudit_log\b", line):
                found.append(f"{path.relative_to(ROOT)}:{number} {line.strip()}")
    assert not found, "\n".join(found)


def test_domain_apps_never_import_audience_apps():
    found = []
    for path in _sources(DOMAIN_APPS):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if any(name.startswith(f"tremplin.{app}") for app in AUDIENCE_APPS):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not found, "\n".join(found)


def _patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield namespace, p


def _guard(view) -> str:
    """Which decorator guards a view: the file and name of its outermost wrapper, else "public" for a view
    marked ``login_not_required`` (assets, error pages)."""
    code = getattr(view, "__code__", None)
    where = f"{code.co_filename.split('tremplin/')[-1]}:{code.co_qualname}" if code else view.__module__
    if where.startswith(("trainer/decorators.py", "learner/decorators.py", "network/decorators.py")):
        return where
    return "public" if getattr(view, "login_required", True) is False else where


@pytest.mark.parametrize(("namespace", "guard"), [
    ("trainer", "trainer/decorators.py:trainer_required.<locals>.decorate.<locals>.wrapper"),
    ("learner", "learner/decorators.py:learner_required.<locals>.decorate.<locals>.wrapper"),
    ("network", "network/decorators.py:network_required.<locals>.decorate.<locals>.wrapper"),
])
def test_every_url_of_an_audience_declares_who_may_see_it(namespace, guard):
    wrong = [f"{p.pattern} → {_guard(p.callback)}" for ns, p in _patterns(get_resolver().url_patterns)
             if ns == namespace and _guard(p.callback) not in {guard, "public"}]
    assert not wrong, "\n".join(wrong)
