"""The names of realpolitik.batch, and the old module names kept for compatibility.

The package and the old modules (realpolitik.corpus, .scale, .batching) hand out the very
objects of realpolitik.batch.work/local/dask/ingest, and what worker processes and Dask
unpickle names the new modules.
"""

from __future__ import annotations

import inspect
import pickle
import subprocess
import sys
from importlib import import_module

import pytest

import realpolitik.batch as batch
from realpolitik.batch import dask, local

NEW = ["work", "local", "dask", "ingest"]


def test_the_package_names_are_the_objects_of_their_modules() -> None:
    assert sorted(batch.__all__) == sorted(batch._HOME)
    for name in batch.__all__:
        home = import_module(f"realpolitik.batch.{batch._HOME[name]}")
        assert getattr(batch, name) is getattr(home, name), name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = batch.nothing


@pytest.mark.parametrize(
    ("old", "homes"),
    [
        ("realpolitik.corpus", ["work", "local", "ingest"]),
        ("realpolitik.scale", ["dask"]),
        ("realpolitik.batching", ["work"]),
    ],
)
def test_old_module_names_are_the_same_objects(old: str, homes: list[str]) -> None:
    module = import_module(old)
    assert "this name is kept for compatibility" in " ".join((module.__doc__ or "").split())
    assert module.__all__
    for name in module.__all__:
        found = [h for h in homes if hasattr(import_module(f"realpolitik.batch.{h}"), name)]
        assert found, f"{old}.{name} is in none of {homes}"
        new = import_module(f"realpolitik.batch.{found[0]}")
        assert getattr(module, name) is getattr(new, name), f"{old}.{name}"
        obj = getattr(module, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):  # pickled by this module name
            assert obj.__module__ in {f"realpolitik.batch.{h}" for h in NEW}, name


def test_what_workers_unpickle_is_named_by_the_new_modules() -> None:
    import realpolitik.corpus
    import realpolitik.scale

    sent = {
        "realpolitik.batch.local": [local._work, local._init_worker],
        "realpolitik.batch.dask": [dask.code_partition, dask.LoadPipeline("model")],
    }
    for module, objects in sent.items():
        for obj in objects:
            data = pickle.dumps(obj)
            assert module.encode() in data
            assert b"realpolitik.corpus" not in data and b"realpolitik.scale" not in data
    assert pickle.dumps(realpolitik.corpus.code_stream) == pickle.dumps(local.code_stream)
    assert pickle.dumps(realpolitik.scale.code_partition) == pickle.dumps(dask.code_partition)


def test_importing_the_package_loads_neither_spacy_nor_dask() -> None:
    code = (
        "import sys, realpolitik.batch\n"
        "assert 'spacy' not in sys.modules and 'distributed' not in sys.modules\n"
        "import realpolitik.corpus\n"  # as before the move: Dask only for engine='dask'
        "assert 'distributed' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
