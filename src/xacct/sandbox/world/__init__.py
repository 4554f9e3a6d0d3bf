"""World files: the accounts, IAM, resources and organization of a sandbox, described in YAML."""

from .build import Built, build_world
from .load import WorldError, load_world

__all__ = ["Built", "WorldError", "build_world", "load_world"]
