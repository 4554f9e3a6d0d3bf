"""Pulling AWS-owned documents from SSM into the local catalogue, with the same calls whether the
other end is AWS or the served sandbox:

- ListDocuments with the Owner and DocumentType filters, page by page (MaxResults 50, SSM's
  largest), or DescribeDocument of each name asked for;
- GetDocument of the listed version, in the format it is written in, so the content is kept as
  written; DescribeDocument of that version for its metadata.

Resumable: a version already on the shelf is not read again, and each is stored whole, so a pull
stopped at any point goes on from where it stopped. Rate-limit aware: botocore's standard retry
mode retries ThrottlingException (and 5xx answers) with exponential backoff and jitter, here up
to 10 attempts ("Retry behavior", https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
The adaptive mode would also slow the sending rate after a throttle; measured against the
sandbox, one throttle in a pull of hundreds then cost seconds per document, so the backoff of
the standard mode is what the pull relies on: it reads one document at a time anyway."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .shelf import Shelf

PAGE = 50  # ListDocuments' MaxResults allows 1 to 50
RETRIES = {"mode": "standard", "max_attempts": 10}


@dataclass(frozen=True)
class Wanted:
    name: str
    version: str
    fmt: str


@dataclass
class Pulled:
    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, AWS's code and message)


def ssm_client(profile: str | None, region: str | None, endpoint_url: str | None):
    """SSM as the profile reaches it: its credentials, its Region, and its endpoint_url (or the
    one given), which is how the served sandbox is reached."""
    import boto3
    from botocore.config import Config

    session = boto3.Session(profile_name=profile, region_name=region)
    return session.client("ssm", endpoint_url=endpoint_url or None, config=Config(retries=RETRIES))


def listed(ssm, owner: str = "Amazon", kind: str = "Automation") -> list[Wanted]:
    """Every document of `owner` and type `kind`, page by page."""
    filters = [{"Key": "Owner", "Values": [owner]}, {"Key": "DocumentType", "Values": [kind]}]
    found: list[Wanted] = []
    for page in ssm.get_paginator("list_documents").paginate(Filters=filters, PaginationConfig={"PageSize": PAGE}):
        for item in page.get("DocumentIdentifiers", []):
            found.append(Wanted(item["Name"], str(item.get("DocumentVersion") or ""), item.get("DocumentFormat") or "JSON"))
    return found


def described(ssm, names: Iterable[str]) -> tuple[list[Wanted], list[tuple[str, str]]]:
    """The default version of each name asked for; (found, [(name, why not)])."""
    from botocore.exceptions import ClientError

    found, missing = [], []
    for name in names:
        try:
            document = ssm.describe_document(Name=name)["Document"]
        except ClientError as exc:
            missing.append((name, _said(exc)))
            continue
        version = str(document.get("DefaultVersion") or document.get("DocumentVersion") or "")
        found.append(Wanted(document.get("Name", name), version, document.get("DocumentFormat") or "JSON"))
    return found, missing


def pull(ssm, shelf: Shelf, region: str, wanted: list[Wanted], *,
         each: Callable[[Wanted, str], None] = lambda wanted, outcome: None) -> Pulled:
    """Store every wanted version not on the shelf yet; `each` hears of every document (stored,
    already, failed) as it is done, for a progress bar."""
    from botocore.exceptions import ClientError

    pulled = Pulled()
    for item in wanted:
        if item.version and shelf.has(region, item.name, item.version):
            pulled.already.append(item.name)
            each(item, "already")
            continue
        try:
            version = {"DocumentVersion": item.version} if item.version else {}
            got = ssm.get_document(Name=item.name, DocumentFormat=item.fmt, **version)
            metadata = ssm.describe_document(Name=item.name, **version)["Document"]
        except ClientError as exc:
            pulled.failed.append((item.name, _said(exc)))
            each(item, "failed")
            continue
        content = got["Content"]
        shelf.save(region, item.name, str(got.get("DocumentVersion") or item.version or "1"),
                   got.get("DocumentFormat") or item.fmt, content, metadata)
        pulled.stored.append(item.name)
        each(item, "stored")
    return pulled


def _said(exc) -> str:
    error = exc.response.get("Error", {})
    return f"{error.get('Code', '?')}: {error.get('Message', '')}".strip()
