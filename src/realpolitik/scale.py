"""Code a corpus on a Dask cluster: moved to realpolitik.batch.dask; this name is kept for
compatibility (the names below are the very objects of :mod:`realpolitik.batch.dask`, so what is
sent to the workers is defined in, and pickled from, that module).
"""

from __future__ import annotations

from .batch.dask import (
    PARTITION_SCHEMA,
    LoadPipeline,
    code_on_dask,
    code_partition,
    default_staging,
    load_staged,
    partition_table,
    read_partition,
    stage_partition,
)

__all__ = [
    "PARTITION_SCHEMA",
    "LoadPipeline",
    "code_on_dask",
    "code_partition",
    "default_staging",
    "load_staged",
    "partition_table",
    "read_partition",
    "stage_partition",
]
