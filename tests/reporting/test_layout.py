"""The shape of the reporting app: one home for every rule, no import that only dodges a cycle
(the project-wide checks are in ``tests/project/test_layout.py``)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REPORTING = sorted(p for p in (ROOT / "reporting").rglob("*.py") if "migrations" not in p.parts)

#: Function-level imports kept on purpose: the app registry's ``ready`` (models are not loaded
#: when the app module is imported) and the render job, so that the web processes, which only
#: enqueue reports, never load WeasyPrint.
ALLOWED_LATE_IMPORTS = {("apps.py", "ready"), ("tasks.py", "render_report_document")}


def _name(path):
    return str(path.relative_to(ROOT / "reporting"))


def test_no_function_level_imports_but_the_kept_ones():
    found = set()
    for path in REPORTING:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        found.add((_name(path), node.name))
    assert found == ALLOWED_LATE_IMPORTS


def test_the_shared_helpers_have_no_copies_in_reporting():
    defined = set()
    for path in REPORTING:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    for helper in (
        "months_before",
        "share_string",
        "percent_label",
        "active_members_q",
        "active_clubs_q",
        "older_q",
    ):
        assert helper not in defined, helper


def test_compliance_names_what_other_apps_use():
    from reporting import compliance, results

    for name in (
        "compute",
        "ComplianceError",
        "evaluate_criterion",
        "resolve_phase",
        "resolve_province",
        "province_filter",
        "club_compliance",
        "province_target_progress",
        "ClubResult",
        "ComplianceReport",
        "TargetResult",
    ):
        assert hasattr(compliance, name), name
    assert compliance.TargetResult is results.TargetResult


def test_report_documents_are_a_model_of_the_app():
    from reporting.models import ReportDocument

    assert ReportDocument._meta.db_table == "reporting_reportdocument"
    assert ReportDocument.__module__ == "reporting.models"
