"""The web explorer: ``realpolitik serve`` (read-only JSON API and one offline page)."""

from .app import create_app, run_app, serve

__all__ = ["create_app", "run_app", "serve"]
