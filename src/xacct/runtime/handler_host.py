"""Runs one Python handler in its own process (started by python_process.run_handler).

argv: the folder holding the script, the module name, the handler name, and the file to write
the result to. The events come as JSON on stdin. The result file gets {"Payload": ...} or
{"Error": {"Type", "Message", "Traceback"}}; whatever the script prints goes to its own
stdout and stderr, which the engine records as the step's log.

The process ends as soon as the result is written, as a Lambda-style runtime freezes once the
handler returns: a thread the script left running does not keep it (nor the step) waiting. A
copy of the process made by os.fork in the script returns from the handler too; only the
original writes the result.
"""

import importlib
import json
import os
import sys
import traceback


def main() -> int:
    original = os.getpid()
    folder, module_name, handler_name, result_path = sys.argv[1:5]
    events = json.loads(sys.stdin.read() or "null")
    sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
        handler = getattr(module, handler_name)
        payload = handler(events, {})
        result = {"Payload": payload}
        text = json.dumps(result, default=str)
    except BaseException as exc:  # the script's failure is the step's failure, whatever it is
        # Only the frames of the user's script, as SSM shows them.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(module_name + ".py")]
        trace = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
        text = json.dumps({"Error": {"Type": type(exc).__name__, "Message": str(exc), "Traceback": trace}})
    if os.getpid() == original:
        with open(result_path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the script closed it
            pass
    os._exit(code)  # not sys.exit: that would wait for the script's non-daemon threads
