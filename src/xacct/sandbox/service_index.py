"""Which botocore services a signed request on the wire may be for, from the signing name of its
credential scope (several services share one: lambda and lambda-web, elb and elbv2; the reader
then tries each, and the operation, Version or X-Amz-Target tells them apart).

Loading every service model to learn those names takes 4 to 18 s on a small machine, far too long
for the first request of a served sandbox. Most signing names are the name of their service
(sts, s3, ec2, ssm, lambda), which one model load (10 to 80 ms) confirms. The others come from an
index of the models' metadata only, built once per botocore version and kept in the user's cache
directory (XDG), in memory if that cannot be written."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ..aws import models

_lock = threading.Lock()


def services_signed_as(signing: str) -> Iterator[str]:
    """The services whose requests are signed with `signing`, the likeliest first: the one named
    like it, then those with that endpoint prefix (lambda and lambda-web share a signing name)."""
    first = _named_like(signing)
    if first:
        yield first
    for name in _index()["signing"].get(signing, []):
        if name != first:
            yield name


@lru_cache(maxsize=None)
def _named_like(name: str) -> str | None:
    """`name` itself, when it is a service signed under that same name."""
    if name not in models.service_names():
        return None
    return name if models.service_model(name).signing_name == name else None


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, list[str]]]:
    with _lock:
        path = _cache_path()
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            pass
        index = _build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(index))
            os.replace(partial, path)  # another process reading it sees all of it or nothing
        except OSError:
            pass
        return index


def _cache_path() -> Path:
    import botocore

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "xacct" / f"signing-index-botocore-{botocore.__version__}.json"


def _build() -> dict[str, dict[str, list[str]]]:
    """From each service-2 model's metadata (the raw JSON: no ServiceModel is made)."""
    loader = models.botocore_session().get_component("data_loader")
    ranked: dict[str, list[tuple[int, str]]] = {}
    for name in sorted(models.service_names()):
        meta = loader.load_service_model(name, "service-2").get("metadata", {})
        prefix = meta.get("endpointPrefix") or name
        signing = meta.get("signingName") or prefix
        ranked.setdefault(signing, []).append((2 if name == signing else 1 if prefix == signing else 0, name))
    return {"signing": {key: [name for _, name in sorted(found, key=lambda r: (-r[0], r[1]))]
                        for key, found in ranked.items()}}
