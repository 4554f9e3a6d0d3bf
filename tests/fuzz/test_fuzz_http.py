"""Fuzzing the served sandbox over a real socket: a few thousand malformed requests (request lines,
headers, Content-Length, bodies, query strings, signatures) in every protocol it serves: query
(STS, IAM), EC2, JSON (SSM, KMS), REST-JSON (Lambda) and REST-XML (S3), signed with a real key
(so that they reach validation, the gate and moto) and unsigned. Every answer is in a protocol's
error shape or a success, never an HTML page and never a traceback; the server's log holds no
traceback; the server still answers afterwards.

The generator is seeded (XACCT_FUZZ_SEED); XACCT_FUZZ_EXAMPLES=20000 for a long campaign, the
default keeps the run under a minute on a 2-core machine. No timing is asserted."""

import json
import os
import random
import socket
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.served import profile_keys, served_world_logged

EXAMPLES = int(os.environ.get("XACCT_FUZZ_EXAMPLES", "3000"))
SEED = int(os.environ.get("XACCT_FUZZ_SEED", "20240611"))
WORLD = """world: 1
accounts:
  "555555555551":
    alias: fuzz
    iam:
      users:
        admin:
          accessKey: true
          policies:
            all: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
    regions:
      us-east-1:
        buckets:
          fuzz-data: {}
"""

FORM = "application/x-www-form-urlencoded; charset=utf-8"
# (protocol, signing name, how a call looks): cheap operations only, so a fuzzed parameter cannot
# ask moto for a hundred thousand instances
CALLS = [
    ("query", "sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}),
    ("query", "sts", {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::555555555551:role/x",
                      "RoleSessionName": "fuzz", "DurationSeconds": "900"}),
    ("query", "sts", {"Action": "GetSessionToken", "Version": "2011-06-15", "DurationSeconds": "900"}),
    ("query", "sts", {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::555555555551:role/x",
                      "RoleSessionName": "fuzz", "Policy": '{"Version": "2012-10-17", "Statement": [{"Effect": '
                                                           '"Allow", "Action": "s3:*", "Resource": "*"}]}',
                      "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    ("query", "iam", {"Action": "ListUsers", "Version": "2010-05-08", "MaxItems": "5"}),
    ("query", "iam", {"Action": "GetUser", "Version": "2010-05-08", "UserName": "admin"}),
    ("query", "iam", {"Action": "ListRoles", "Version": "2010-05-08", "PathPrefix": "/"}),
    ("ec2", "ec2", {"Action": "DescribeInstances", "Version": "2016-11-15", "MaxResults": "5"}),
    ("ec2", "ec2", {"Action": "DescribeImages", "Version": "2016-11-15", "Owner.1": "self"}),
    ("ec2", "ec2", {"Action": "DescribeVpcs", "Version": "2016-11-15", "Filter.1.Name": "vpc-id",
                    "Filter.1.Value.1": "vpc-1"}),
    ("json", "ssm", ("AmazonSSM.DescribeParameters", {"MaxResults": 5})),
    ("json", "ssm", ("AmazonSSM.GetParameter", {"Name": "/fuzz/p", "WithDecryption": False})),
    ("json", "ssm", ("AmazonSSM.PutParameter", {"Name": "/fuzz/p", "Value": "v", "Type": "String",
                                                "Overwrite": True})),
    ("json", "kms", ("TrentService.ListKeys", {"Limit": 5})),
    ("json", "kms", ("TrentService.DescribeKey", {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})),
    ("rest-json", "lambda", ("GET", "/2015-03-31/functions/", "MaxItems=5", b"")),
    ("rest-json", "lambda", ("GET", "/2015-03-31/functions/nothing", "", b"")),
    ("rest-json", "lambda", ("POST", "/2015-03-31/functions", "", b'{"FunctionName": "f", "Runtime": "python3.11"}')),
    ("rest-xml", "s3", ("GET", "/fuzz-data", "list-type=2&max-keys=5", b"")),
    ("rest-xml", "s3", ("PUT", "/fuzz-data/k%20ey", "", b"some bytes")),
    ("rest-xml", "s3", ("GET", "/fuzz-data/k%20ey", "", b"")),
    ("rest-xml", "s3", ("HEAD", "/fuzz-data/missing", "", b"")),
    ("rest-xml", "s3", ("PUT", "/fuzz-data", "tagging", b"<Tagging><TagSet></TagSet></Tagging>")),
    ("rest-xml", "s3", ("GET", "/", "", b"")),
]
JUNK_VALUES = ["", "abc", "-1", "1e9", "99999999999999999999999", "true", "maybe", "null", "%zz", "\u00e9\u00e8",
               "a" * 3000, "0x10", " 5 ", "[1]", "{}", "\x00", "../..", "*"]
JSON_JUNK = [None, True, 0, -5, 1.5, 10 ** 30, "text", "", [], [1, "a"], {}, {"a": {"b": [None]}}]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "FOO", "get"]


class Case:
    def __init__(self, method, path, query, headers, body):
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body
        self.raw_length: str | None = None  # a Content-Length to send instead of the true one
        self.chunked: bytes | None = None  # a body to send as is, chunked (or not)
        self.extra: list[bytes] = []  # header lines sent as they are


def base_case(rng: random.Random, host: str) -> tuple[Case, str, str]:
    protocol, signing, shape = rng.choice(CALLS)
    headers = {"host": host}
    if protocol in ("query", "ec2"):
        values = dict(shape)
        if rng.random() < 0.5:
            return Case("POST", "/", "", {**headers, "content-type": FORM}, _form(values).encode()), protocol, signing
        return Case("GET", "/", _form(values), headers, b""), protocol, signing
    if protocol == "json":
        target, params = shape
        return Case("POST", "/", "", {**headers, "content-type": "application/x-amz-json-1.1", "x-amz-target": target},
                    json.dumps(params).encode()), protocol, signing
    method, path, query, body = shape
    case = Case(method, path, query, headers, body)
    if protocol == "rest-xml":
        import hashlib

        case.headers["x-amz-content-sha256"] = hashlib.sha256(body).hexdigest()
    elif body:
        case.headers["content-type"] = "application/json"
    return case, protocol, signing


def _form(values: dict) -> str:
    return "&".join(f"{quote(str(k), safe='')}={quote(str(v), safe='')}" for k, v in values.items())


# -- mutations: each breaks one thing the way a bad client or an attacker would -------------------
def m_value_types(rng, case, protocol):
    if protocol in ("query", "ec2"):
        place = "body" if case.body else "query"
        text = case.body.decode("latin-1") if place == "body" else case.query
        pairs = [p.split("=", 1) for p in text.split("&") if p]
        if pairs:
            i = rng.randrange(len(pairs))
            if pairs[i][0] != "Action":
                pairs[i] = [pairs[i][0], quote(rng.choice(JUNK_VALUES), safe="")]
        pairs.append([rng.choice(["DurationSeconds", "MaxItems", "MaxResults", "Marker", "Unknown", "Filter.x"]),
                      quote(rng.choice(JUNK_VALUES), safe="")])
        text = "&".join("=".join(p) for p in pairs)
        if place == "body":
            case.body = text.encode("latin-1", "replace")
        else:
            case.query = text
    elif case.body.startswith(b"{"):
        try:
            data = json.loads(case.body)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        key = rng.choice(list(data) + ["MaxResults", "Name", "Extra"])
        data[key] = rng.choice(JSON_JUNK)
        case.body = json.dumps(data).encode()
    else:
        case.query = "&".join(filter(None, [case.query, f"max-keys={quote(rng.choice(JUNK_VALUES), safe='')}"]))


def m_json_body(rng, case, protocol):
    case.body = rng.choice([b"[]", b"null", b"1", b'"x"', b"{", b"{]", b'{"a":', b"[" * 3000 + b"]" * 3000,
                            b'{"MaxResults": "ten"}', b"\xff\xfe\x00", b'{"Name": null}', json.dumps(
                                {"Name": {"deep": [[[["x"]]]]}}).encode(), b"\x00" * 50, b"<?xml version='1.0'?><x>"])


def m_random_body(rng, case, protocol):
    case.body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))


def m_form_garbage(rng, case, protocol):
    case.body = rng.choice([b"%%%=&&==", b"Action", b"Action=&Action=GetCallerIdentity", b"=" * 100,
                            ("a=1&" * 12000).encode(), b"Action=GetCallerIdentity&Version=1999-01-01",
                            b"Action=AssumeRole&Version=2011-06-15", b"Action=Shutdown&Version=2011-06-15",
                            b"Action=%ZZ&x=%"])
    case.headers["content-type"] = FORM


def m_content_length(rng, case, protocol):
    case.raw_length = rng.choice(["abc", "-1", "", "1e3", " 5", "99999999999999", str(len(case.body) + 7),
                                  str(max(len(case.body) - 1, 0)), "0", str(10 ** 9), "5, 6"])


def m_chunked(rng, case, protocol):
    case.chunked = rng.choice([b"5\r\nhello\r\n0\r\n\r\n", b"zz\r\nhello\r\n0\r\n\r\n", b"-5\r\nhello\r\n0\r\n\r\n",
                               b"ffffffff\r\nab\r\n", b"3\r\nabcdef\r\n0\r\n\r\n", b"0\r\n\r\n"])


def m_query(rng, case, protocol):
    junk = rng.choice(["%zz", "Action=", "Action=GetCallerIdentity&Action=ListUsers", "a=1&a=2&a=3",
                       "X-Amz-Algorithm=foo", "X-Amz-Credential=x&X-Amz-Signature=y",
                       "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F1%2Fus-east-1%2Fs3%2Faws4_request"
                       "&X-Amz-Date=20200101T000000Z&X-Amz-Expires=abc&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                       "AWSAccessKeyId=AKIA&Signature=x&Expires=1", "AWSAccessKeyId=AKIA&Signature=x&Expires=abc",
                       "&&&", "=", "list-type=2&list-type=1", "x=" + "%41" * 2000, "versionId=&uploadId=",
                       "\u00e9=\u00e8".encode().decode("latin-1")])
    case.query = "&".join(filter(None, [case.query, junk]))


def m_headers(rng, case, protocol):
    name, value = rng.choice([
        ("x-amz-target", rng.choice(["AmazonSSM.", ".x", "x", "AmazonSSM.DescribeParameters.x", "TrentService.Nope",
                                     "DynamoDB_20120810.ListTables", ""])),
        ("content-type", rng.choice(["application/json", "text/plain", "application/x-amz-json-1.0", "", FORM,
                                     "multipart/form-data; boundary=x", "application/cbor"])),
        ("authorization", rng.choice(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=a/b/c", "AWS x",
                                      "AWS AKIA:", "Bearer abc", "AWS4-HMAC-SHA256 Credential=AKIA/20200101/us-east-1/"
                                      "s3/aws4_request, SignedHeaders=host, Signature=00", "AWS4-HMAC-SHA256 ,,,=",
                                      "AWS4-HMAC-SHA256 Credential=AKIA/2020/r/nothing/aws4_request, SignedHeaders=, "
                                      "Signature=x"])),
        ("x-amz-date", rng.choice(["yesterday", "20200101T000000Z", "", "99999999T999999Z"])),
        ("x-amz-security-token", rng.choice(["", "x" * 2000, "\u00e9"])),
        ("x-amz-content-sha256", rng.choice(["", "UNSIGNED-PAYLOAD", "0" * 64, "STREAMING-XYZ", "nothex"])),
        ("host", rng.choice(["", "bucket.s3.amazonaws.com", "fuzz-data.s3.us-east-1.amazonaws.com", "[::1]",
                             "ec2.us-east-1.amazonaws.com", "a" * 300])),
        ("x-amz-copy-source", rng.choice(["fuzz-data/k%20ey", "/", "nobucket/x", "%zz"])),
        ("range", rng.choice(["bytes=0-1", "bytes=9-1", "lines=1", "bytes=-"])),
        ("expect", "100-continue"),
        ("x-large", "v" * rng.choice([100, 8000, 70000])),
    ])
    case.headers[name] = value


def m_raw_headers(rng, case, protocol):
    case.extra.append(rng.choice([b"X-Bin: \xff\xfe", b"NoColonHere", b": empty-name", b"X-Dup: 1\r\nX-Dup: 2",
                                  b"X_Under_Score: 1", b"Content-Length: 3", b"Transfer-Encoding: gzip, chunked",
                                  b"X-Folded: a\r\n b"]))


def m_method(rng, case, protocol):
    case.method = rng.choice(METHODS)


def m_path(rng, case, protocol):
    case.path = rng.choice(["/%", "/..", "//", "/moto-api/reset", "/moto-api/data.json", "/%2e%2e/%2e%2e",
                            "/" + "a" * 5000, "/fuzz-data/" + quote("\u00e9\u4e2d\u0000", safe=""), "/a b",
                            "/2015-03-31/functions/%zz/invocations", "/latest/meta-data/", "/fuzz-data?x",
                            "*", "/service/x/operation/y"])


MUTATIONS = [m_value_types, m_value_types, m_json_body, m_random_body, m_form_garbage, m_content_length, m_chunked,
             m_query, m_headers, m_headers, m_raw_headers, m_method, m_path]
SIGNING_BREAKERS = {m_headers, m_raw_headers}  # also applied after signing, so the signature stays in play


def sign(case: Case, keys: tuple[str, str], signing: str) -> None:
    url = f"http://{case.headers.get('host') or 'localhost'}{case.path}" + (f"?{case.query}" if case.query else "")
    request = AWSRequest(method=case.method, url=url, data=case.body,
                         headers={k: v for k, v in case.headers.items() if k != "host"})
    signer = (S3SigV4Auth if signing == "s3" else SigV4Auth)(Credentials(*keys), signing, "us-east-1")
    signer.add_auth(request)
    case.headers.update({k.lower(): v for k, v in request.headers.items()})
    case.query = urlsplit(request.url).query  # as signed


def generate(rng: random.Random, host: str, keys: tuple[str, str]) -> Case:
    case, protocol, signing = base_case(rng, host)
    signed = rng.random() < 0.6
    chosen = rng.sample(MUTATIONS, rng.choice([1, 1, 2, 3]))
    for mutation in chosen:
        if not (signed and mutation in SIGNING_BREAKERS):
            mutation(rng, case, protocol)
    if signed:
        try:
            sign(case, keys, signing)
        except Exception:  # botocore refuses to sign some of the garbage; it is sent unsigned
            pass
        for mutation in chosen:
            if mutation in SIGNING_BREAKERS:
                mutation(rng, case, protocol)
    return case


def encode(case: Case) -> bytes:
    target = (case.path or "/") + (f"?{case.query}" if case.query else "")
    lines = [f"{case.method} {target} HTTP/1.1".encode("utf-8", "surrogateescape")]
    for name, value in case.headers.items():
        if name in ("content-length", "transfer-encoding", "connection"):
            continue
        lines.append(f"{name}: {value}".encode("utf-8", "surrogateescape"))
    lines += case.extra
    body = case.body
    if case.chunked is not None:
        lines.append(b"Transfer-Encoding: chunked")
        body = case.chunked
    elif case.raw_length is not None:
        lines.append(f"Content-Length: {case.raw_length}".encode())
    elif body or case.method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}".encode())
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)  # a body shorter than its Content-Length ends here
        except OSError:
            pass  # the server may answer and close before reading everything (a refused request line)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def parse(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    while answer.startswith(b"HTTP/1.1 100 "):  # an interim answer to Expect: 100-continue
        answer = answer.partition(b"\r\n\r\n")[2]
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-http")
    world = folder / "fuzz.yaml"
    world.write_text(WORLD)
    with served_world_logged(world, folder) as (env, endpoint, log):
        yield endpoint, profile_keys(folder, "fuzz-admin"), log


def test_malformed_requests_get_aws_shaped_answers_and_the_server_stays_up(served):
    endpoint, keys, log = served
    port = int(endpoint.rsplit(":", 1)[1])
    host = f"127.0.0.1:{port}"
    rng = random.Random(SEED)
    seen: Counter = Counter()
    for number in range(EXAMPLES):
        case = generate(rng, host, keys)
        data = encode(case)
        answer = exchange(port, data)
        assert answer, f"example {number}: no answer to {data[:300]!r}"
        status, headers, body = parse(answer)
        seen[status] += 1
        where = f"example {number} (seed {SEED}): {data[:300]!r} -> {answer[:500]!r}"
        if status >= 400:  # (moto labels some empty successes text/html; no page comes with them)
            assert "html" not in headers.get("content-type", "").lower(), where
        assert b"<html" not in body.lower() and b"<!doctype" not in body.lower(), where
        assert b"Traceback" not in body, where
        if status >= 500:
            if os.environ.get("XACCT_FUZZ_SHOW"):
                print(where)
            assert status in (500, 501, 503), where
            assert b"InternalFailure" in body or b"NotImplemented" in body or b"ServiceUnavailable" in body, where
    print(f"\n{EXAMPLES} requests, answers by status: {dict(sorted(seen.items()))}")
    # still serving, and a plain signed call still works
    import boto3

    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=keys[0],
                       aws_secret_access_key=keys[1])
    assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::555555555551:user/admin"
    text = Path(log).read_text()
    assert "Traceback" not in text, text[-3000:]
    for line in text.splitlines():  # a fault is one line, never a dump
        assert not line.startswith((" ", "\t")), text[-3000:]
