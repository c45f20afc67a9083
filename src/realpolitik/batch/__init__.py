"""Batch processing: coding many articles, on local worker processes or a Dask cluster.

(Being written: see the following commits.)
"""
