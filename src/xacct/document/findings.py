"""A finding: one thing wrong (or worth a look) in a document, with where it stands."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    id: str
    severity: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.id} {self.severity}: {self.message}"

    def as_json(self) -> dict:
        """Plain JSON types only, so that `json.dumps(..., allow_nan=False)` always succeeds."""
        return {key: (value if isinstance(value, int) and not isinstance(value, bool) else str(value))
                for key, value in asdict(self).items()}


def severity_of(rule_id: str) -> str:
    """The letter of a rule ID is its severity, as in cfn-lint: E for errors, W for warnings."""
    return ERROR if rule_id.startswith("E") else WARNING
