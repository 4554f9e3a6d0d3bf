"""AWS's own SSM documents for the sandbox: pulled from AWS into a local catalogue, or read from
a folder, and served as Owner Amazon next to xacct's own runbooks (decision 0019)."""

from .entry import Entry
from .folder import FolderError, Loaded, load_folder
from .registry import ENVIRONMENT, Registry, activate, active, default_version, folders_from_environment, reset
from .shelf import Shelf, catalogue_home

__all__ = ["ENVIRONMENT", "Entry", "FolderError", "Loaded", "Registry", "Shelf", "activate", "active",
           "catalogue_home", "default_version", "folders_from_environment", "load_folder", "reset"]
