"""The SigV4 signature of a request, read from its Authorization header or from the query string
of a presigned URL, and S3's older SigV2 (HMAC-SHA1), which `aws s3 presign` and boto3 still make
for presigned URLs. A signature that cannot be read is refused as AWS refuses it; S3 has codes of
its own (AuthorizationHeaderMalformed, AuthorizationQueryParametersError)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from .wire_errors import WireError
from .wire_request import WireRequest, first_value, s3_region

SIGV4 = "AWS4-HMAC-SHA256"
QUERY_AUTH = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature")
UNSUPPORTED_AUTH = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."


@dataclass
class Signature:
    access_key_id: str
    date: str  # YYYYMMDD of the credential scope
    region: str
    service: str  # the signing name
    signed_headers: list[str]
    signature: str
    timestamp: str  # X-Amz-Date (or Date, converted), as signed
    token: str | None = field(default=None, repr=False)
    in_query: bool = False  # a presigned URL
    expires: int | None = None  # X-Amz-Expires of a presigned URL (for SigV2: Expires, a Unix time)
    version: int = 4  # 2: S3's older HMAC-SHA1 signature, which `aws s3 presign` still makes


def read_signature(request: WireRequest, protocol: str) -> Signature | None:
    """The request's SigV4 signature, None when it is unsigned. A signature that cannot be read
    is refused as AWS refuses it (S3 has codes of its own)."""
    s3 = protocol == "rest-xml"
    auth = request.headers.get("authorization", "").strip()
    if auth:
        if s3 and auth.startswith("AWS ") and ":" in auth:
            key, _, signature = auth[4:].strip().rpartition(":")
            date = request.headers.get("x-amz-date") or request.headers.get("date")
            if not key or not date:
                raise WireError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", 403)
            return Signature(key, "", s3_region(request.host), "s3", [], signature, date,
                             request.headers.get("x-amz-security-token"), version=2)
        if not auth.startswith(SIGV4 + " "):
            if s3:
                raise WireError("InvalidRequest", UNSUPPORTED_AUTH)
            raise WireError("IncompleteSignature", f"Unsupported authorization type: {auth.split(' ', 1)[0][:40]}")
        fields = dict(_pair(part) for part in re.split(r"\s*,\s*", auth[len(SIGV4) + 1:].strip()) if part)
        missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not fields.get(name)]
        if missing:
            raise _incomplete(s3, " ".join(f"Authorization header requires '{name}' parameter." for name in missing))
        timestamp = request.headers.get("x-amz-date") or _from_http_date(request.headers.get("date", ""))
        if not timestamp:
            raise _incomplete(s3, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                                  "header.")
        return _signature(fields["Credential"], fields["SignedHeaders"], fields["Signature"], timestamp,
                          request.headers.get("x-amz-security-token"), s3, in_query=False, expires=None)
    values = request.query_values
    if any(name in values for name in QUERY_AUTH):
        needed = QUERY_AUTH + (("X-Amz-Expires",) if s3 else ())
        missing = [name for name in needed if not first_value(values, name)]
        if missing:
            if s3:
                raise WireError("AuthorizationQueryParametersError",
                                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                                "X-Amz-Expires parameters.")
            raise WireError("IncompleteSignature", f"The request lacks the query parameters {', '.join(missing)}.")
        if first_value(values, "X-Amz-Algorithm") != SIGV4:
            raise WireError("AuthorizationQueryParametersError" if s3 else "IncompleteSignature",
                            "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        expires = first_value(values, "X-Amz-Expires")
        if expires and (not expires.isdigit() or not 1 <= int(expires) <= 604800):
            raise WireError("AuthorizationQueryParametersError" if s3 else "IncompleteSignature",
                            "X-Amz-Expires must be a number of seconds from 1 to 604800 (seven days).")
        return _signature(first_value(values, "X-Amz-Credential"), first_value(values, "X-Amz-SignedHeaders"),
                          first_value(values, "X-Amz-Signature"), first_value(values, "X-Amz-Date"),
                          first_value(values, "X-Amz-Security-Token"), s3, in_query=True,
                          expires=int(expires) if expires else None)
    if "AWSAccessKeyId" in values or "Signature" in values:  # a SigV2 presigned URL
        if not s3:
            raise WireError("IncompleteSignature", UNSUPPORTED_AUTH)
        key, signature, expires = (first_value(values, name) for name in ("AWSAccessKeyId", "Signature",
                                                                           "Expires"))
        if not key or not signature or not expires or not re.fullmatch(r"[0-9]{1,11}", expires):
            raise WireError("AccessDenied", "Query-string authentication requires the Signature, Expires and "
                                            "AWSAccessKeyId parameters", 403)
        return Signature(key, "", s3_region(request.host), "s3", [], signature, "",
                         first_value(values, "x-amz-security-token"), in_query=True, expires=int(expires), version=2)
    return None


def _signature(credential: str, signed: str, signature: str, timestamp: str, token: str | None, s3: bool, *,
               in_query: bool, expires: int | None) -> Signature:
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not re.fullmatch(r"\d{8}", parts[1]) or not all(parts):
        if s3:
            raise WireError("AuthorizationHeaderMalformed" if not in_query else "AuthorizationQueryParametersError",
                            "The authorization header is malformed; the Credential is mal-formed; expecting "
                            "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        raise WireError("IncompleteSignature", f"Credential should be scoped to a valid date, region and service: "
                                               f"'{credential[:100]}'.")
    try:
        datetime.strptime(timestamp or "", "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise _incomplete(s3, f"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", "
                              f"not '{(timestamp or '')[:40]}'.") from None
    headers = [h.strip().lower() for h in signed.split(";") if h.strip()]
    return Signature(parts[0], parts[1], parts[2], parts[3], headers, signature.strip(), timestamp, token or None,
                     in_query, expires)


def _incomplete(s3: bool, message: str) -> WireError:
    return WireError("AuthorizationHeaderMalformed" if s3 else "IncompleteSignature", message)


def _pair(part: str) -> tuple[str, str]:
    name, _, value = part.partition("=")
    return name.strip(), value.strip()


def _from_http_date(text: str) -> str | None:
    try:
        return parsedate_to_datetime(text).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ") if text else None
    except (TypeError, ValueError, IndexError):
        return None


