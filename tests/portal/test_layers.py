"""The architecture's one rule, checked: apps import only downward
(staff → gridwork → complaints → inspections → casework → disclosure → portal)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["portal", "disclosure", "casework", "inspections", "complaints", "gridwork", "staff"]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def test_apps_import_only_the_apps_below_them():
    wrong = []
    for rank, app in enumerate(LAYERS):
        above = set(LAYERS[rank + 1:])
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, module in _imports(path):
                if module in above:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_layers_are_the_installed_order():
    from django.conf import settings

    ours = [app for app in settings.INSTALLED_APPS if app in LAYERS]
    assert ours == list(reversed(LAYERS))


def test_models_do_not_import_services():
    """Services build on models, never the other way round (no import cycles inside an app)."""
    wrong = []
    for app in LAYERS:
        paths = [ROOT / app / "models.py", *sorted((ROOT / app / "models").glob("*.py"))]
        for path in (p for p in paths if p.exists()):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and "services" in (node.module or "").split("."):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not wrong, "models importing services:\n" + "\n".join(wrong)
