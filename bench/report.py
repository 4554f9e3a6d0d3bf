"""`xacct report` of a run across 1,000 target locations: the page's size, the time to build it,
and the time headless Chromium takes to load it, next to the bare work it wraps (the JSON of
`xacct executions show ID --output json`, built from the same store). Figures are printed, not
asserted: they depend on the machine.

    .venv/bin/python bench/report.py [TARGETS]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/report: the synthetic store and the browser

from tests.report import browser  # noqa: E402
from tests.report.synthetic import fanout_store  # noqa: E402


def shown_json(store, parent: str) -> str:
    """What `xacct executions show ID --output json` prints, without the process around it."""
    from xacct.commands.executions import _descendants
    from xacct.engine.history import automation_execution
    from xacct.ssm import Context
    from xacct.ssm.get import automation_execution as get_automation_execution

    top = get_automation_execution(parent, Context(store))
    children = [automation_execution(store, child) for child in _descendants(store, parent)]
    return json.dumps({"AutomationExecution": top, "ChildExecutions": children}, indent=2)


def main() -> None:
    from xacct.results.report import build_report
    from xacct.results.report_html import render

    targets = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory(prefix="xacct-bench-report-") as folder:
        started = time.perf_counter()
        store, parent = fanout_store(Path(folder) / "x.db", targets)
        print(f"store of {targets} targets written in {time.perf_counter() - started:.2f}s")

        started = time.perf_counter()
        text = shown_json(store, parent)
        bare = time.perf_counter() - started
        print(f"executions show --output json: {len(text.encode()) / 1e6:.2f} MB in {bare:.2f}s")

        started = time.perf_counter()
        report = build_report(store, parent)
        built = time.perf_counter() - started
        started = time.perf_counter()
        page = render(report)
        rendered = time.perf_counter() - started
        path = Path(folder) / "report.html"
        path.write_text(page, encoding="utf-8")
        size = os.path.getsize(path)
        print(f"report: {size / 1e6:.2f} MB ({size / len(text.encode()):.2f}x the JSON), data {built:.2f}s + "
              f"HTML {rendered:.2f}s = {built + rendered:.2f}s ({(built + rendered) / bare:.2f}x the JSON)")

        why = browser.missing()
        if why:
            print(f"open time: not measured: {why}")
            return
        driver = browser.start()
        try:
            driver.get("about:blank")  # the browser's own start-up is not the page's
            started = time.perf_counter()
            driver.get(path.as_uri())  # returns once the page has loaded and its script has run
            opened = time.perf_counter() - started
            timing = driver.execute_script(
                "var t=performance.getEntriesByType('navigation')[0];return [t.domContentLoadedEventEnd,t.loadEventEnd]")
            shown = driver.find_element("id", "shown").text
        finally:
            browser.stop(driver)
        print(f"open in headless Chromium: {opened:.2f}s (DOMContentLoaded {timing[0] / 1000:.2f}s, load "
              f"{timing[1] / 1000:.2f}s); the page says: {shown}")


if __name__ == "__main__":
    main()
