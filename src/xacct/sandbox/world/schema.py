"""What a world file may say, as data: each mapping lists its keys and what each holds.

    world: 1
    organization:
      management: "111111111111"
      id: o-exampleorgid                            # aws:PrincipalOrgID (default: made from management)
      scps: {NAME: POLICY}
      rcps: {NAME: POLICY}
      root: {scps: [NAME], rcps: [NAME]}
      units: {NAME: {accounts: [ID], scps: [NAME], rcps: [NAME], units: {...}}}
    accounts:
      "111111111111":
        alias: hoge
        iam:
          policies: {NAME: POLICY}                 # customer managed policies
          users: {NAME: {accessKey: true, mfa: {seed: BASE32}, policies: {NAME: POLICY},
                         managedPolicies: [NAME|ARN], groups: [NAME], permissionsBoundary: NAME|ARN}}
          groups: {NAME: {policies: {NAME: POLICY}, managedPolicies: [NAME|ARN]}}
          roles: {NAME: {trust: POLICY, path: /, policies: {...}, managedPolicies: [...],
                         permissionsBoundary: NAME|ARN, maxSessionDuration: 3600}}
          serviceLinkedRoles: [autoscaling.amazonaws.com]
        regions:
          us-east-1:
            buckets: {NAME: {policy: POLICY, encryption: AES256, tags: {KEY: VALUE}}}
            documents: {NAME: {file: PATH, sharedWith: [ID]}}
            kmsKeys: {ALIAS: {policy: POLICY, description: TEXT, grants: [{grantee: ARN, operations: [Decrypt]}]}}
            snapshots: {NAME: {size: 8, encryptedWith: ALIAS|KEY ARN, sharedWith: [ID]}}
            images: {NAME: {name: TEXT, encryptedWith: ALIAS|KEY ARN, sharedWith: [ID]}}
            instances: {NAME: {image: IMAGE NAME|ami-ID, type: t3.micro, tags: {KEY: VALUE}}}
        templates:                                 # CloudFormation stacks, deployed after the rest
          - {file: PATH, region: us-east-1, stack: NAME, parameters: {KEY: VALUE}}
"""

from __future__ import annotations

POLICY = "policy"  # an IAM policy document, checked by xacct.iam
NAME_MAP = "names"  # a mapping whose keys are free names


def names(value_schema):
    return (NAME_MAP, value_schema)


POLICIES = names(POLICY)
USER = {"accessKey": bool, "mfa": {"seed": str}, "policies": POLICIES, "managedPolicies": [str],
        "groups": [str], "permissionsBoundary": str, "path": str}
GROUP = {"policies": POLICIES, "managedPolicies": [str], "path": str}
ROLE = {"trust": POLICY, "path": str, "policies": POLICIES, "managedPolicies": [str], "permissionsBoundary": str,
        "maxSessionDuration": int, "description": str}
IAM = {"policies": POLICIES, "users": names(USER), "groups": names(GROUP), "roles": names(ROLE),
       "serviceLinkedRoles": [str]}
BUCKET = {"policy": POLICY, "encryption": str, "tags": names(str)}
DOCUMENT = {"file": str, "sharedWith": [str], "type": str}
GRANT = {"grantee": str, "operations": [str], "name": str}
KEY = {"policy": POLICY, "description": str, "grants": [GRANT]}
SNAPSHOT = {"size": int, "encryptedWith": str, "sharedWith": [str], "description": str}
IMAGE = {"name": str, "encryptedWith": str, "sharedWith": [str]}
INSTANCE = {"image": str, "type": str, "tags": names(str)}
REGION = {"buckets": names(BUCKET), "documents": names(DOCUMENT), "kmsKeys": names(KEY), "images": names(IMAGE),
          "instances": names(INSTANCE), "snapshots": names(SNAPSHOT)}
TEMPLATE = {"file": str, "region": str, "stack": str, "parameters": names(str)}
ACCOUNT = {"alias": str, "iam": IAM, "regions": names(REGION), "templates": [TEMPLATE]}


def unit_schema():
    unit = {"accounts": [str], "scps": [str], "rcps": [str]}
    unit["units"] = names(unit)
    return unit


ORGANIZATION = {"management": str, "id": str, "scps": POLICIES, "rcps": POLICIES, "root": {"scps": [str], "rcps": [str]},
                "units": names(unit_schema())}
WORLD = {"world": int, "organization": ORGANIZATION, "accounts": names(ACCOUNT)}
