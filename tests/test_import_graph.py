"""The package's import graph: no circles, no arrow from a stage up (scripts/import_graph.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import ROOT

SCRIPT = ROOT / "scripts" / "import_graph.py"


def _run(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--src", str(src)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_package_has_no_import_circles_and_no_upward_arrows() -> None:
    done = _run(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no circles" in done.stdout


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = tmp_path / "realpolitik" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    return tmp_path


def test_checker_reports_a_circle_through_a_lazy_import(tmp_path: Path) -> None:
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "quotes/__init__.py": "",
            "quotes/model.py": "def f():\n    from realpolitik.helpers import g\n",
            "helpers.py": "from .quotes import model\n",
        },
    )
    done = _run(src)
    assert done.returncode == 1
    assert "circle: realpolitik.helpers -> realpolitik.quotes.model -> realpolitik.helpers" in (
        done.stdout
    )


def test_checker_reports_a_stage_importing_evaluation_code(tmp_path: Path) -> None:
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "evaluate/__init__.py": "",
            "evaluate/quotes.py": "X = 1\n",
            "places.py": "\n\nfrom realpolitik.evaluate.quotes import X\n",
        },
    )
    done = _run(src)
    assert done.returncode == 1
    assert "upward: realpolitik.places -> realpolitik.evaluate.quotes" in done.stdout
    assert "places.py:3" in done.stdout


def test_checker_ignores_type_checking_imports(tmp_path: Path) -> None:
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import b\n",
            "b.py": "from . import a\n",
        },
    )
    done = _run(src)
    assert done.returncode == 0, done.stdout


def _edges() -> set[tuple[str, str]]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--src", str(ROOT / "src"), "--edges"],
        capture_output=True,
        text=True,
        check=False,
    )
    pairs = (line.split(" -> ") for line in done.stdout.splitlines() if " -> " in line)
    return {(a.removeprefix("realpolitik."), b.removeprefix("realpolitik.")) for a, b in pairs}


def test_batch_imports_go_one_way() -> None:
    edges = _edges()
    inside = {(a, b) for a, b in edges if a.startswith("batch.") and b.startswith("batch.")}
    # local and dask import work, never each other; ingest sits on top of both
    assert inside == {
        ("batch.local", "batch.work"),
        ("batch.dask", "batch.work"),
        ("batch.ingest", "batch.work"),
        ("batch.ingest", "batch.local"),
        ("batch.ingest", "batch.dask"),
    }
    # the pipeline is below batch too (the stages are checked by the script itself)
    assert not {(a, b) for a, b in edges if a == "pipeline" and b.startswith("batch")}
    # the old module names are for users only: nothing in the package imports them
    old = {"corpus", "scale", "batching"}
    assert not {(a, b) for a, b in edges if b in old}


def test_analysis_never_runs_the_pipeline() -> None:
    # analysis works on records and stores: it reaches neither the coding path nor batch
    coding = ("batch", "pipeline", "nlp", "corpus", "scale", "batching")
    edges = _edges()
    assert not {(a, b) for a, b in edges if a.startswith("analysis") and b.split(".")[0] in coding}
