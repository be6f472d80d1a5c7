"""The dependency rule, checked on the import graph of every ``.py`` file of the product and the
demo: ``api`` > ``jobs`` > ``coaching`` > ``ideas`` > ``foundation``, each package importing only
itself and the packages after it (imports inside functions count too); ``demo`` sits above the
domains and only ``api/cli.py`` of the product may import it. Inside ``coaching`` and ``ideas``
a subpackage may import its siblings (``SUBPACKAGES`` lists them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Highest first: a package may import itself and anything after it, never anything before it.
ORDER = ("api", "jobs", "coaching", "ideas", "foundation")
DEMO = "demo"
# The product's only door to the demo content: the CLI's ``demo`` and ``run`` commands.
DEMO_IMPORTERS = frozenset({"api/cli.py"})
# The rooms of the two domains; siblings may import each other (an import inside one package).
SUBPACKAGES = {
    "coaching": frozenset({"interactions", "modules", "guides", "reports"}),
    "ideas": frozenset({"submissions", "themes"}),
}


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of every import anywhere in ``tree``, functions included;
    ``module`` is the file's own dotted name, to resolve relative imports."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base = parts if is_package else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def violations(root: Path) -> list[str]:
    """Every import under ``root`` that breaks the rule, as ``path:line: message``."""
    rank = {package: i for i, package in enumerate(ORDER)}
    problems: list[str] = []
    for package in (*ORDER, DEMO):
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            module = ".".join(parts[:-1] if is_package else parts)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
            for line, name in imported_modules(tree, module, is_package):
                top = name.split(".")[0]
                where = f"{relative}:{line}"
                if top == DEMO and package != DEMO and relative not in DEMO_IMPORTERS:
                    problems.append(f"{where}: imports {name}; only {sorted(DEMO_IMPORTERS)} may")
                elif package in rank and top in rank and rank[top] < rank[package]:
                    problems.append(f"{where}: {package} imports {name}, which is above it")
    return problems


def test_no_import_breaks_the_dependency_rule() -> None:
    assert violations(REPO) == []


def test_the_listed_subpackages_are_the_ones_that_exist() -> None:
    for package, listed in SUBPACKAGES.items():
        found = {p.parent.name for p in (REPO / package).glob("*/__init__.py")}
        assert found == listed, f"update SUBPACKAGES[{package!r}] (and README's layout)"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A tiny product that keeps the rule: every allowed kind of import once."""
    _write(
        tmp_path,
        {
            "api/__init__.py": "",
            "api/cli.py": "def demo() -> None:\n    from demo.loader import load_demo\n",
            "api/app.py": "import jobs.queue\nfrom coaching import x\nfrom foundation import db\n",
            "jobs/__init__.py": "",
            "jobs/tasks.py": "from ideas.themes import runs\nfrom . import queue\n",
            "coaching/__init__.py": "",
            "coaching/modules/__init__.py": "",
            "coaching/modules/effect.py": "from coaching.interactions import stats\n"
            "from ..guides import search\nimport ideas.submissions\n",
            "ideas/__init__.py": "",
            "ideas/themes/runs.py": "from ideas.submissions import models\nimport foundation\n",
            "foundation/__init__.py": "",
            "foundation/db.py": "import sqlalchemy\nfrom . import settings\n",
            "demo/__init__.py": "",
            "demo/loader.py": "from api.cli import demo\nfrom jobs import tasks\n",
        },
    )
    return tmp_path


def test_the_checker_passes_a_tree_that_keeps_the_rule(tree: Path) -> None:
    assert violations(tree) == []


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("foundation/ids.py", "import ideas.submissions.models\n", "foundation imports ideas"),
        ("ideas/themes/keywords.py", "from coaching import x\n", "ideas imports coaching"),
        ("coaching/reports/service.py", "from jobs.service import run\n", "coaching imports jobs"),
        ("jobs/worker.py", "from api.app import create_app\n", "jobs imports api"),
        # inside a function, and relative: still imports
        ("foundation/cache.py", "def f() -> None:\n    from ideas import y\n", "imports ideas"),
        ("ideas/themes/runs2.py", "from ...coaching import z\n", "ideas imports coaching"),
        ("coaching/guides/search.py", "import demo.guides\n", "imports demo.guides"),
        ("api/routes/home.py", "def f() -> None:\n    from demo import ideas\n", "imports demo"),
    ],
)
def test_the_checker_finds_an_added_violation(
    tree: Path, path: str, text: str, message: str
) -> None:
    _write(tree, {path: text})
    (problem,) = violations(tree)
    assert problem.startswith(f"{path}:") and message in problem
