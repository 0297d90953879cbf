"""The house rules a tool can check (README "Architecture"; the floors themselves are
import-linter's layers contract in pyproject.toml, run by `make lint`): no import cycle
between modules, in-function imports included; files and functions a person can hold in
their head."""

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "config",
    "pages",
    "demo",
    "notifications",
    "workers",
    "dialogue",
    "contracts",
    "accounts",
    "commissioning",
)
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80


def product_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


@pytest.fixture(scope="module")
def graph():
    # A package's __init__ importing its own submodules is how a package is assembled, not
    # a cycle of rules; grimp counts those edges too, so they are left out below.
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_module_imports_one_that_imports_it_back(graph):
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.startswith(importer + ".") or importer.startswith(imported + "."):
                continue
            chain = graph.find_shortest_chain(importer=imported, imported=importer)
            if chain:
                cycles.append(" -> ".join((importer, *chain)))
    assert not cycles, "\n".join(cycles)


def test_no_product_file_is_longer_than_the_limit():
    long_files = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in product_files()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    ]
    assert not long_files, "\n".join(long_files)


def test_no_product_function_is_longer_than_the_limit():
    long_functions = []
    for path in product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(
                        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines"
                    )
    assert not long_functions, "\n".join(long_functions)
