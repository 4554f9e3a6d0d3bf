"""AWS credentials as xacct passes them around: never printed, logged or stored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    arn: str | None = None  # the principal these credentials act as, when known

    @property
    def account(self) -> str | None:
        return self.arn.split(":")[4] if self.arn and self.arn.count(":") >= 5 else None

    def as_client_kwargs(self) -> dict:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }

    def as_environment(self) -> dict[str, str]:
        """For a child process (an aws:executeScript script) that should act as this principal."""
        env = {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": self.secret_access_key}
        if self.session_token:
            env["AWS_SESSION_TOKEN"] = self.session_token
        return env

    @classmethod
    def from_response(cls, response_credentials: dict, arn: str | None = None) -> "Credentials":
        """From the `Credentials` of an STS AssumeRole (or GetSessionToken) response."""
        return cls(
            response_credentials["AccessKeyId"],
            response_credentials["SecretAccessKey"],
            response_credentials.get("SessionToken"),
            arn,
        )
