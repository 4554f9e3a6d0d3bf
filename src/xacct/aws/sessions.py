"""One boto3 session per Region for every sandbox in the process.

A botocore session reads each service model and endpoint ruleset from disk the first time one
of its clients needs it (EC2's model alone is several MB of JSON), and xacct builds each
service's client class once per session (cloud._reuse_client_classes). A sandbox made its own
session, so every new sandbox in a process (the tests build hundreds, a fuzzing campaign
thousands) read the same files and built the same classes again: 0.8 of the 0.9 s a small world
took to build. Sandbox clients always name their credentials and Region, so nothing of one
sandbox lives in the session they share.

botocore does not promise that a session creates clients safely from several threads at once:
clients of shared sessions are created under CREATION_LOCK.
"""

from __future__ import annotations

import threading
from functools import lru_cache

CREATION_LOCK = threading.RLock()


@lru_cache(maxsize=None)
def shared_session(region_name: str):
    import boto3

    return boto3.Session(region_name=region_name)


def create_client(session, service: str, **kwargs):
    """session.client(service, **kwargs) under CREATION_LOCK."""
    with CREATION_LOCK:
        return session.client(service, **kwargs)
