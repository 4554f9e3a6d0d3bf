"""aws:executeScript scripts run in a separate Python process with the step's credentials, a
time limit, and their output and errors captured ("aws:executeScript – Run a script")."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from ..runtime.python_process import run_handler
from .call import StepCall
from .errors import StepFailed, StepInterrupted

MAX_SECONDS = 600
PAYLOAD_LIMIT = 100 * 1024  # "Up to 100KB is returned"


def _stage(call: StepCall, folder: Path) -> tuple[str, str]:
    """Write the script (inline, or the attachment) into `folder`; return (module, handler)."""
    inputs = call.inputs
    handler = str(inputs.get("Handler", ""))
    if "Script" in inputs and inputs["Script"] not in (None, ""):
        try:
            (folder / "customer_script.py").write_text(str(inputs["Script"]), encoding="utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate, from a "\ud800" escape in YAML
            raise StepFailed(f"The script is not valid Unicode text: {exc.reason} at character {exc.start}.",
                             retriable=False) from None
        return "customer_script", handler
    attachment = str(inputs.get("Attachment", ""))
    base = getattr(call.execution, "folder", None)
    source = Path(base, attachment) if base else Path(attachment)
    if not attachment or not source.is_file():
        raise StepFailed(f"The attachment {attachment!r} was not found beside the runbook.", retriable=False)
    try:
        if source.suffix == ".zip":
            with zipfile.ZipFile(source) as archive:
                archive.extractall(folder)
        else:
            shutil.copy(source, folder / source.name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StepFailed(f"The attachment {attachment!r} cannot be read: {exc}", retriable=False) from None
    module, _, function = handler.rpartition(".")
    return (module or source.stem), function


def _environment(call: StepCall) -> dict[str, str]:
    ex = call.execution
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT") if key in os.environ}
    env.update(ex.cloud.script_environment(ex.credentials, ex.region))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_script(call: StepCall) -> Any:
    runtime = str(call.inputs.get("Runtime", ""))
    if not runtime.startswith("python"):
        raise StepFailed(f"Runtime {runtime!r} is not supported by xacct; it runs Python scripts only.",
                         retriable=False)
    limit = MAX_SECONDS if call.remaining() is None else min(MAX_SECONDS, call.remaining())
    stamp = time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())
    with tempfile.TemporaryDirectory(prefix=f"{call.execution.id}-{stamp}-") as tmp:
        folder = Path(tmp)
        module, handler = _stage(call, folder)
        outcome = run_handler(folder, module, handler, call.inputs.get("InputPayload", {}), _environment(call),
                              time_limit=limit, interrupt=call.interrupt, reason=lambda: call.reason)
    call.log("stdout", outcome.stdout)
    call.log("stderr", outcome.stderr)
    if outcome.stopped:
        raise StepInterrupted(outcome.stopped)
    if not outcome.ok:
        error = outcome.error
        # "Traceback ...\n\nKeyError - 'x'", as SSM reports a script's exception
        raise StepFailed(f"{error['Traceback']}\n{error['Type']} - {error['Message']}")
    result = {"Payload": outcome.result}
    if len(json.dumps(result["Payload"])) > PAYLOAD_LIMIT:
        raise StepFailed("The script returned more than the 100 KB an aws:executeScript payload may hold.")
    return result
