"""AWS config and credentials files for a served sandbox: one profile per world user with an
access key, each pointing at the sandbox's endpoint. These are sandbox keys, valid only against
this process; the files are written readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path

from ..credentials import Credentials


def profile_name(account: str, user: str, aliases: dict[str, str]) -> str:
    return f"{aliases.get(account, account)}-{user}"


def write_profiles(folder: Path, endpoint: str, users: dict[tuple[str, str], Credentials],
                   aliases: dict[str, str], region: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    config, credentials = folder / "config", folder / "credentials"
    config_lines, credential_lines = [], []
    for (account, user), keys in sorted(users.items()):
        name = profile_name(account, user, aliases)
        config_lines += [f"[profile {name}]", f"region = {region}", f"endpoint_url = {endpoint}", ""]
        credential_lines += [f"[{name}]", f"aws_access_key_id = {keys.access_key_id}",
                             f"aws_secret_access_key = {keys.secret_access_key}", ""]
    for path, lines in ((config, config_lines), (credentials, credential_lines)):
        path.write_text("\n".join(lines))
        os.chmod(path, 0o600)
    return config, credentials
