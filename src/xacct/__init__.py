"""xacct: run AWS Systems Manager Automation runbooks across accounts and Regions, with a local
sandbox in which IAM is enforced and every denial is explained.

The library is importable without the CLI; heavy dependencies (botocore, jsonpath-ng) load only
when a function needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_file", "validate", "validate_file"]


def __getattr__(name: str):
    # Lazy re-exports keep `import xacct` (and so `xacct --help`) cheap.
    if name == "load_file":
        from .document.loader import load_file

        return load_file
    if name in ("validate", "validate_file"):
        from .document import validate as module

        return getattr(module, name)
    raise AttributeError(name)
