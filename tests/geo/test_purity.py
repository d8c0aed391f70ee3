"""geo/ is pure: it imports only the standard library, shapely, numpy and itself."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GEO_FILES = sorted((ROOT / "geo").glob("*.py"))
ALLOWED = set(sys.stdlib_module_names) | {"shapely", "numpy", "geo"}
DYNAMIC = {"__import__", "importlib.import_module"}  # would dodge the static check
FORBIDDEN = ("server", "sqlalchemy", "geoalchemy2", "fastapi", "psycopg", "pyproj", "pydantic")


def foreign_imports(source: str) -> list[str]:
    """Return the top-level modules imported by ``source`` that are not allowed, or dynamic."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names = ["__import__"]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            names = ["importlib.import_module"]
        else:
            continue
        found += [n for n in names if n.split(".")[0] not in ALLOWED or n in DYNAMIC]
    return found


def test_geo_has_modules():
    assert {p.stem for p in GEO_FILES} >= {
        "__init__",
        "errors",
        "coords",
        "bbox",
        "tiles",
        "simplify",
        "metric",
        "coverage",
    }


@pytest.mark.parametrize("path", GEO_FILES, ids=lambda p: p.name)
def test_geo_module_imports_only_stdlib_shapely_numpy(path):
    assert foreign_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import sqlalchemy",
        "from server.grids import service",
        "def f():\n    import fastapi",
        "import os, pyproj",
        "import importlib\nimportlib.import_module('server')",
        "__import__('psycopg')",
    ],
)
def test_the_checker_catches_foreign_imports(source):
    assert foreign_imports(source) != []


def test_the_checker_allows_stdlib_shapely_numpy_and_relative():
    source = (
        "import math\nimport numpy as np\nfrom shapely.geometry import Polygon\nfrom . import x"
    )
    assert foreign_imports(source) == []


def test_importing_geo_loads_nothing_forbidden():
    modules = ", ".join(f"geo.{p.stem}" for p in GEO_FILES if p.stem != "__init__")
    code = f"import sys, geo, {modules}; print('\\n'.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "geo.coverage" in loaded
    assert [m for m in loaded if m.split(".")[0] in FORBIDDEN] == []
