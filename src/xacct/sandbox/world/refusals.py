"""What the sandbox's services say when they refuse an element of a world, and nothing else:
botocore's ClientError (the service's error code and message), its own errors before a request
is sent (ParamValidationError and the like) or after (a response it cannot parse), moto's
service exceptions where xacct reaches moto's models directly, and xacct's own Automation service
refusing to start a template's association (ExecutionRejected, with AWS's code: State Manager
refuses such an association, and the stack fails). Any other exception is a bug and stays one."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def refusals() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    # moto's two bases of service errors: ServiceException (IAM's, among others) and the older
    # _RESTError (moto is pinned to 5.2 in pyproject.toml, as xacct reads some of its models)
    from moto.core.exceptions import ServiceException, _RESTError

    from ...engine.errors import ExecutionRejected

    return ClientError, BotoCoreError, ResponseParserError, ServiceException, _RESTError, ExecutionRejected


MAX_MESSAGE = 400


def refusal_message(exc: BaseException) -> str:
    """The service's words on one line, with any character that would not print escaped."""
    from botocore.exceptions import ClientError
    from botocore.parsers import ResponseParserError

    from ...engine.errors import ExecutionRejected

    if isinstance(exc, ExecutionRejected):
        text = f"{exc.code}: {exc.message}"
    elif isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        text = f"{error.get('Code', 'Error')}: {error.get('Message', '')}"
    elif isinstance(exc, ResponseParserError):
        # its text goes on with the raw answer; say what happened (most often the answer repeats
        # a value of the world that holds a character XML cannot carry)
        text = "the sandbox's answer cannot be read: " + str(exc).split(", invalid XML received")[0]
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in " ".join(text.split()))
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 3] + "..."
