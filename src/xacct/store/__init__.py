"""Where executions are recorded: an SQLite file of append-only events."""

from .db import Store, default_path

__all__ = ["Store", "default_path"]
