"""Keep secrets out of a report: values of parameters and inputs named like a secret are masked,
and each such value is also scrubbed from every other text (inputs, outputs, failure messages),
since a runbook may pass a secret on under a harmless name or echo it in an error."""

from __future__ import annotations

import json
import re
from typing import Any

MASK = "****"
# password, secret, token, key (as in KmsKeyId, ApiKey) and their usual spellings
SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|key|credential", re.IGNORECASE)
# a value this short would mask ordinary words everywhere; such secrets stay masked by name only
SHORTEST_SCRUBBED = 4
# Parameter Store SecureString references keep their name but never a resolved value
SECURE_REFERENCE = re.compile(r"\{\{\s*ssm-secure:[^}]*\}\}")


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name or ""))


class Masker:
    """Learns the secret values of a run (`learn`), then masks names and scrubs texts."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def learn(self, values: dict[str, Any]) -> None:
        """Parameters or inputs of one execution or step: remember those named like a secret."""
        for name, value in (values or {}).items():
            self._learn(name, value)

    def _learn(self, name: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                self._learn(key, inner)
            return
        if isinstance(value, list):
            for inner in value:
                self._learn(name, inner)
            return
        if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
            try:
                self._learn(name, json.loads(value))
                return
            except ValueError:
                pass
        if is_secret_name(name) and value not in (None, ""):
            text = str(value).strip('"')
            if len(text) >= SHORTEST_SCRUBBED:
                self.secrets.add(text)

    def values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Parameters, inputs or outputs as shown: masked by name, scrubbed otherwise."""
        return {name: self.value(name, value) for name, value in (values or {}).items()}

    def value(self, name: str, value: Any) -> Any:
        if is_secret_name(name):
            return MASK
        if isinstance(value, list):
            return [self.value(name, inner) for inner in value]
        if isinstance(value, dict):
            return self.values(value)
        if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
            try:  # an input given as JSON text: mask the secret-named keys inside it
                return self.text(json.dumps(self._inner(json.loads(value)), separators=(",", ":")))
            except ValueError:
                pass
        return self.text(value) if isinstance(value, str) else value

    def _inner(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: MASK if is_secret_name(k) else self._inner(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._inner(v) for v in value]
        return value

    def text(self, text: str | None) -> str:
        """Any text with every known secret value replaced by the mask."""
        if not text:
            return text or ""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return SECURE_REFERENCE.sub("{{ssm-secure:" + MASK + "}}", text) if "ssm-secure" in text else text
