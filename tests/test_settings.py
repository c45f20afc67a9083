"""Settings come from the environment in one place (settings.py), never inside a stage."""

from __future__ import annotations

import ast
from pathlib import Path

from realpolitik import settings
from realpolitik.settings import Settings, cache_folder, from_environ

SRC = Path(settings.__file__).parent


def test_each_variable_becomes_one_setting() -> None:
    env = {
        "REALPOLITIK_MODEL": "en_core_web_lg",
        "REALPOLITIK_EXTRACTOR": "none",
        "REALPOLITIK_CLASSIFIER": "/models/clf",
        "REALPOLITIK_DICTIONARY": "mine.yaml",
        "REALPOLITIK_ATTRIBUTION_MODEL": "none",
        "REALPOLITIK_FAST_OPS": "off",
    }
    assert from_environ(env) == Settings(
        model="en_core_web_lg",
        extractor="none",
        classifier="/models/clf",
        dictionary="mine.yaml",
        attribution="none",
        fast_ops=False,
    )
    assert from_environ({"REALPOLITIK_MODEL": "", "REALPOLITIK_FAST_OPS": "1"}) == Settings()


def test_cache_folder(tmp_path: Path) -> None:
    assert cache_folder({"REALPOLITIK_CACHE": "none"}) is None
    assert cache_folder({"REALPOLITIK_CACHE": str(tmp_path)}) == tmp_path
    assert cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "realpolitik"


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("environ", "getenv")
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            lines.append(node.lineno)
    return lines


def test_only_settings_reads_the_environment() -> None:
    readers = {
        f"{path.relative_to(SRC)}:{line}"
        for path in SRC.rglob("*.py")
        if path.name != "settings.py"
        for line in _reads_environment(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert readers == set(), "read settings through realpolitik.settings.from_environ"


def test_no_module_rewrites_global_state() -> None:
    rewrites = {
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Global)
    }
    assert rewrites == set()
