"""Authenticating a request to the served sandbox as AWS does: the SigV4 signature of the Authorization
header or of a presigned URL's query string is computed again with the key's secret and compared;
the session token must be the session's, the session and the presigned URL must not have expired,
and a signed request's time must be within 15 minutes of the server's. An unsigned request is the
anonymous caller's, which only S3 takes (the other services refuse it earlier, in read_call).

The signature is botocore's own signer run on the request as it arrived: the same canonical request
and string to sign as the client's SDK built, with the headers the request says it signed and the
time it says it was signed at. The SigV4 algorithm is not written again here. Failures answer with
each protocol's codes and AWS's texts (S3 has its own, EC2 its AuthFailure)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urlsplit

from botocore.auth import HmacV1Auth, S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from .http_requests import WireCall
from .principals import ANONYMOUS, KeySecret, Principals
from .signatures import Signature
from .wire_errors import WireError
from .wire_request import WireRequest, virtual_host_bucket

SKEW = timedelta(minutes=15)
SIGNATURE_TEXT = ("The request signature we calculated does not match the signature you provided. Check your AWS "
                  "Secret Access Key and signing method. Consult the service documentation for details.")
S3_SIGNATURE_TEXT = ("The request signature we calculated does not match the signature you provided. Check your key "
                     "and signing method.")
INVALID_TOKEN_TEXT = "The security token included in the request is invalid."
EXPIRED_TOKEN_TEXT = "The security token included in the request is expired"
STAMP = "%Y%m%dT%H%M%SZ"


def authenticate(request: WireRequest, call: WireCall, principals: Principals, now: datetime | None = None) -> str:
    """The access key id the request is made with (ANONYMOUS when unsigned), or WireError."""
    signature = call.signature
    if signature is None:
        return ANONYMOUS
    now = now or datetime.now(timezone.utc)
    s3 = call.protocol == "rest-xml"
    key = principals.secret(signature.access_key_id)
    if key is None:
        raise _refused("unknown key", call, signature)
    if not _same(key.token, signature.token):  # a session's key needs its token; a user's key takes none
        raise _refused("bad token", call, signature)
    if key.expires is not None and now >= key.expires:
        raise _refused("expired token", call, signature)
    if signature.version == 2:
        return _authenticate_v2(request, call, key, signature, now)
    signed_at = datetime.strptime(signature.timestamp, STAMP).replace(tzinfo=timezone.utc)
    if signature.in_query and signature.expires is not None:
        if now > signed_at + timedelta(seconds=signature.expires):
            raise _expired_url(call, signature, signed_at, now)
        if signed_at - now > SKEW:
            raise _refused("not yet valid", call, signature)
    elif abs(now - signed_at) > SKEW:
        raise _skewed(call, signature, signed_at, now)
    if s3 and not signature.in_query:
        _check_payload_hash(request)
    verifier = _verifier(key, signature, s3)
    aws_request = _as_signed(request, signature)
    canonical = verifier.canonical_request(aws_request)
    string_to_sign = verifier.string_to_sign(aws_request, canonical)
    expected = verifier.signature(string_to_sign, aws_request)
    if not _same(expected, signature.signature):
        raise _refused("signature", call, signature, {"StringToSign": string_to_sign, "CanonicalRequest": canonical,
                                                      "SignatureProvided": signature.signature})
    return signature.access_key_id


def _same(known: str | None, given: str | None) -> bool:
    """In constant time, as secrets are compared (bytes, as a request may carry any character)."""
    if known is None or given is None:
        return known is given
    return hmac.compare_digest(known.encode("utf-8", "surrogateescape"), given.encode("utf-8", "surrogateescape"))


def _authenticate_v2(request: WireRequest, call: WireCall, key: KeySecret, signature: Signature,
                     now: datetime) -> str:
    """S3's HMAC-SHA1 signature (SigV2), which boto3 and `aws s3 presign` still make for presigned
    URLs unless told s3v4: botocore's HmacV1Auth computes it again, with the request's date (the
    Date header, or a presigned URL's Expires)."""
    if signature.in_query:
        ends = datetime.fromtimestamp(signature.expires or 0, timezone.utc)
        if now > ends:
            raise WireError("AccessDenied", "Request has expired", 403,
                            {"Expires": _iso(ends), "ServerTime": _iso(now)}, protocol=call.protocol)
    else:
        try:
            signed_at = parsedate_to_datetime(signature.timestamp).astimezone(timezone.utc)
        except (TypeError, ValueError, IndexError):
            raise WireError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", 403,
                            protocol=call.protocol) from None
        if abs(now - signed_at) > SKEW:
            raise _skewed(call, signature, signed_at, now)
    headers = HTTPHeaders()
    for name, value in request.headers.items():
        if name in ("content-md5", "content-type") or name.startswith("x-amz-"):
            headers[name] = value
    if signature.in_query:  # a presigned URL carries its x-amz- headers as parameters
        for name, values in request.query_values.items():
            if name.lower().startswith("x-amz-") and name.lower() not in headers:
                headers[name.lower()] = values[0]
    bucket = virtual_host_bucket(request.host)
    path = f"/{bucket}{request.path}" if bucket else request.path
    query = "&".join(part for part in request.query.split("&") if part.split("=", 1)[0] in HmacV1Auth.QSAOfInterest)
    # with an x-amz-date header, the Date line of the string to sign is empty
    date = str(signature.expires) if signature.in_query else "" if "x-amz-date" in request.headers \
        else signature.timestamp
    signer = _V2(Credentials(signature.access_key_id, key.secret, key.token), date)
    string_to_sign = signer.canonical_string(request.method, urlsplit(f"http://h{path}?{query}" if query else
                                                                      f"http://h{path}"), headers)
    if not _same(signer.sign_string(string_to_sign), signature.signature):
        raise _refused("signature", call, signature, {"StringToSign": string_to_sign,
                                                      "SignatureProvided": signature.signature})
    return signature.access_key_id


class _V2(HmacV1Auth):
    """Signs at the request's date (botocore's signer would use the present time)."""

    def __init__(self, credentials: Credentials, date: str):
        super().__init__(credentials)
        self._date = date

    def _get_date(self):
        return self._date


# -- botocore's signer, signing what the request signed ------------------------------------------
class _Recomputed(SigV4Auth):
    """Signs with the request's SignedHeaders exactly (botocore would pick its own) at the request's
    X-Amz-Date (set in the request context, where botocore's signer reads the timestamp)."""

    def __init__(self, key: KeySecret, signature: Signature):
        super().__init__(Credentials(signature.access_key_id, key.secret, key.token), signature.service,
                         signature.region)
        self._signed = signature.signed_headers

    def headers_to_sign(self, request):
        chosen = HTTPHeaders()
        for name in self._signed:
            chosen[name] = request.headers.get(name, "")
        return chosen


class _S3(_Recomputed, S3SigV4Auth):  # S3 signs the path as sent, without normalizing it
    pass


class _Query(_Recomputed, SigV4QueryAuth):
    pass


class _S3Query(_Recomputed, S3SigV4QueryAuth):  # a presigned S3 URL signs UNSIGNED-PAYLOAD
    pass


def _verifier(key: KeySecret, signature: Signature, s3: bool) -> SigV4Auth:
    kind = {(False, False): _Recomputed, (True, False): _S3, (False, True): _Query, (True, True): _S3Query}
    return kind[(s3, signature.in_query)](key, signature)


def _as_signed(request: WireRequest, signature: Signature) -> AWSRequest:
    """The request as its signer saw it: the signed headers, the path as sent, the query string
    without X-Amz-Signature and in canonical encoding, and the body."""
    headers = {name: request.headers.get(name, "") for name in signature.signed_headers}
    if not signature.in_query and "x-amz-content-sha256" in request.headers:
        headers["X-Amz-Content-SHA256"] = request.headers["x-amz-content-sha256"]
    pairs = []
    for part in request.query.split("&") if request.query else []:
        name, _, value = part.partition("=")
        if signature.in_query and unquote(name) == "X-Amz-Signature":
            continue
        pairs.append(f"{quote(unquote(name), safe='-_.~')}={quote(unquote(value), safe='-_.~')}")
    url = f"http://{request.host or 'localhost'}{request.path}" + ("?" + "&".join(pairs) if pairs else "")
    aws_request = AWSRequest(method=request.method, url=url, headers=headers, data=request.body)
    aws_request.context["timestamp"] = signature.timestamp
    return aws_request


def _check_payload_hash(request: WireRequest) -> None:
    """S3 signs the payload's hash in x-amz-content-sha256, and checks the payload against it."""
    claimed = request.headers.get("x-amz-content-sha256")
    if claimed is None:
        raise WireError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
    if len(claimed) == 64 and all(c in "0123456789abcdef" for c in claimed):
        if not _same(claimed, hashlib.sha256(request.body).hexdigest()):
            raise WireError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match "
                                                         "what was computed.",
                            extra={"ClientComputedContentSHA256": claimed,
                                   "S3ComputedContentSHA256": hashlib.sha256(request.body).hexdigest()})
    elif not claimed.startswith(("UNSIGNED-PAYLOAD", "STREAMING-")):
        raise WireError("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                                           "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                                           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")


# -- AWS's answers, by protocol ------------------------------------------------------------------
# (code, status, message) for query services, EC2, the JSON protocols and S3.
_ANSWERS = {
    "unknown key": {
        "query": ("InvalidClientTokenId", 403, INVALID_TOKEN_TEXT),
        "ec2": ("AuthFailure", 401, "AWS was not able to validate the provided access credentials"),
        "json": ("UnrecognizedClientException", 400, INVALID_TOKEN_TEXT),
        "rest-xml": ("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records."),
    },
    "bad token": {
        "query": ("InvalidClientTokenId", 403, INVALID_TOKEN_TEXT),
        "ec2": ("AuthFailure", 401, "AWS was not able to validate the provided access credentials"),
        "json": ("UnrecognizedClientException", 400, INVALID_TOKEN_TEXT),
        "rest-xml": ("InvalidToken", 400, "The provided token is malformed or otherwise invalid."),
    },
    "expired token": {
        "query": ("ExpiredToken", 403, EXPIRED_TOKEN_TEXT),
        "ec2": ("RequestExpired", 400, "Request has expired."),
        "json": ("ExpiredTokenException", 400, EXPIRED_TOKEN_TEXT),
        "rest-xml": ("ExpiredToken", 400, "The provided token has expired."),
    },
    "signature": {
        "query": ("SignatureDoesNotMatch", 403, SIGNATURE_TEXT),
        "ec2": ("SignatureDoesNotMatch", 403, SIGNATURE_TEXT),
        "json": ("InvalidSignatureException", 400, SIGNATURE_TEXT),
        "rest-xml": ("SignatureDoesNotMatch", 403, S3_SIGNATURE_TEXT),
    },
    "not yet valid": {
        "query": ("RequestExpired", 400, "Request is not valid yet."),
        "ec2": ("RequestExpired", 400, "Request is not valid yet."),
        "json": ("InvalidSignatureException", 400, "Request is not valid yet."),
        "rest-xml": ("AccessDenied", 403, "Request is not valid yet"),
    },
}


def _family(protocol: str) -> str:
    return {"rest-json": "json", "smithy-rpc-v2-cbor": "json"}.get(protocol, protocol)


def _refused(kind: str, call: WireCall, signature: Signature, details: dict | None = None) -> WireError:
    family = _family(call.protocol)
    code, status, message = _ANSWERS[kind][family if family in _ANSWERS[kind] else "query"]
    if family == "json" and call.protocol == "rest-json":
        status = 403  # Lambda and the other REST-JSON services answer 403 where JSON services say 400
    extra: dict[str, str] = {}
    if family == "rest-xml":
        extra["AWSAccessKeyId"] = signature.access_key_id
        if kind == "signature" and details:
            extra.update(details)  # as S3 does: what it signed, to compare with the client's
    return WireError(code, message, status, extra, protocol=call.protocol)


def _expired_url(call: WireCall, signature: Signature, signed_at: datetime, now: datetime) -> WireError:
    ends = signed_at + timedelta(seconds=signature.expires or 0)
    if call.protocol == "rest-xml":
        return WireError("AccessDenied", "Request has expired", 403,
                         {"X-Amz-Expires": str(signature.expires), "Expires": _iso(ends), "ServerTime": _iso(now)},
                         protocol=call.protocol)
    return WireError("RequestExpired", "Request has expired.", 400, protocol=call.protocol)


def _skewed(call: WireCall, signature: Signature, signed_at: datetime, now: datetime) -> WireError:
    family = _family(call.protocol)
    if family == "rest-xml":
        return WireError("RequestTimeTooSkewed", "The difference between the request time and the current time is too "
                                                 "large.", 403,
                         {"RequestTime": signature.timestamp, "ServerTime": _iso(now),
                          "MaxAllowedSkewMilliseconds": "900000"}, protocol=call.protocol)
    if family == "ec2":
        return WireError("RequestExpired", "Request has expired.", 400, protocol=call.protocol)
    if signed_at < now:
        message = (f"Signature expired: {signature.timestamp} is now earlier than {(now - SKEW).strftime(STAMP)} "
                   f"({now.strftime(STAMP)} - 15 min.)")
    else:
        message = (f"Signature not yet current: {signature.timestamp} is still later than "
                   f"{(now + SKEW).strftime(STAMP)} ({now.strftime(STAMP)} + 15 min.)")
    return WireError("InvalidSignatureException" if family == "json" else "SignatureDoesNotMatch", message,
                     400 if family == "json" else 403, protocol=call.protocol)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
