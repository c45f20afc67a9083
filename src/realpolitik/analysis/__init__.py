"""Analysis of coded news as a system: directed dyads over time, the signed alliance network
with its blocs and centres, and plots of both."""

from __future__ import annotations

from .dyads import dyads, dyads_from_results, dyads_from_store
from .network import build_network, load_results, network, network_graphml, network_to_dict

__all__ = [
    "build_network",
    "dyads",
    "dyads_from_results",
    "dyads_from_store",
    "load_results",
    "network",
    "network_graphml",
    "network_to_dict",
]
