"""SSM ListDocuments as SSM answers it in an account: the account's own documents (moto's list),
the documents other accounts share with it, and the AWS-owned documents (owned/: xacct's own,
and those of the active runbooks registry, xacct.runbooks), which moto knows nothing of. The Owner filter picks among them ("DocumentKeyValuesFilter", AWS
Systems Manager API Reference): Self, Amazon, Private (shared with the account), Public (shared
with everyone), ThirdParty (none in the sandbox), and All. A document another account shares is
listed by its ARN, which is how the account reads it."""

from __future__ import annotations

from .owned import owned_identifiers

DEFAULT_PAGE = 10  # moto's page size, as the account's own list had before
INVALID_TOKEN = ("InvalidNextToken", "The specified token isn't valid.")


def list_documents(params: dict, account: str, region: str) -> dict | None:
    """The answer, or None for a call moto answers as it does (the deprecated DocumentFilterList,
    an Owner filter that is not one of SSM's values)."""
    from .gate import AccessRefused

    if params.get("DocumentFilterList"):
        return None
    filters = [f for f in params.get("Filters") or [] if isinstance(f, dict)]
    owners = [f.get("Values") or [] for f in filters if f.get("Key") == "Owner"]
    if len(owners) > 1 or (owners and len(owners[0]) != 1):
        return None
    owner = owners[0][0] if owners else "All"
    owner = "Self" if owner == account else owner
    if owner not in ("Self", "Amazon", "Private", "Public", "ThirdParty", "All"):
        return None
    found = []
    if owner in ("Self", "All"):
        found += _own(account, region)
    if owner in ("Private", "All"):
        found += _shared(account, region, public=False)
    if owner in ("Public", "All"):
        found += _shared(account, region, public=True)
    if owner in ("Amazon", "All"):
        found += owned_identifiers(region)
    found = sorted((d for d in found if _matches(d, filters)), key=lambda d: d["Name"])
    size_error = page_size_error(params.get("MaxResults"))
    if size_error:  # as the served path's model check answers it, in process too
        raise AccessRefused("ValidationException", size_error, status=400)
    token = str(params.get("NextToken") or "0")
    if not token.isdigit() or int(token) > len(found):
        raise AccessRefused(*INVALID_TOKEN, status=400)
    start, size = int(token), int(params.get("MaxResults") or DEFAULT_PAGE)
    answer: dict = {"DocumentIdentifiers": found[start:start + size]}
    if start + size < len(found):
        answer["NextToken"] = str(start + size)
    return answer


def page_size_error(size) -> str | None:
    """MaxResults of ListDocuments and ListDocumentVersions is 1 to 50 (botocore's SSM model)."""
    if size is None or (isinstance(size, int) and 1 <= size <= 50):
        return None
    bound = "greater than or equal to 1" if isinstance(size, int) and size < 1 else "less than or equal to 50"
    return (f"1 validation error detected: Value '{size}' at 'maxResults' failed to satisfy constraint: "
            f"Member must have value {bound}")


def _own(account: str, region: str) -> list[dict]:
    from moto.ssm.models import ssm_backends

    backend = ssm_backends[account][region]
    listed, _ = backend.list_documents(document_filter_list=None, filters=[],
                                       max_results=len(backend._documents) + 1, token="0")
    return listed


def _shared(account: str, region: str, public: bool) -> list[dict]:
    """Documents of other accounts shared with this one by its ID (Private) or with All (Public)."""
    from moto.ssm.models import ssm_backends

    from .sharing import shared_with

    found = []
    for other in list(ssm_backends.keys()):
        if other == account or region not in ssm_backends[other]:
            continue
        backend = ssm_backends[other][region]
        for name, documents in sorted(backend._documents.items()):
            accounts = [a.lower() for a in shared_with(documents)]
            if ("all" in accounts) if public else (account in accounts):
                listed = documents.get_default_version().list_describe()
                found.append({**listed, "Name": f"arn:aws:ssm:{region}:{other}:document/{name}"})
    return found


def _matches(document: dict, filters: list[dict]) -> bool:
    """Every key's filter holds (any of its values); Name is a prefix, as SSM takes it."""
    for item in filters:
        key, values = item.get("Key", ""), item.get("Values") or []
        if key == "Name":
            name = document["Name"].rsplit("document/", 1)[-1]
            if not any(name.startswith(v) for v in values):
                return False
        elif key in ("DocumentType", "TargetType"):
            if document.get(key) not in values:
                return False
        elif key == "PlatformTypes":
            if not set(values) & set(document.get("PlatformTypes") or []):
                return False
        elif key.startswith("tag:"):
            tags = {t["Key"]: t["Value"] for t in document.get("Tags") or []}
            if tags.get(key[len("tag:"):]) not in values:
                return False
    return True
