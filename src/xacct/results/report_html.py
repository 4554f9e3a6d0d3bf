"""A report as one self-contained HTML page: the markup is built here with every text escaped
(html.escape); the styles and the filter script are in report.html, next to this module."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from html import escape
from importlib import resources

from .report import Cause, Report, Step, Target

TEMPLATE = "report.html"
MARKER = "<!--REPORT-->"


def write_report(store, execution_id: str, path: str | os.PathLike) -> str:
    """Write the report of `execution_id` to `path`; its absolute path."""
    from .report import build_report

    page = render(build_report(store, execution_id))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return os.path.abspath(path)


def render(report: Report) -> str:
    template = resources.files(__package__).joinpath(TEMPLATE).read_text(encoding="utf-8")
    ids = {id(t): f"t{n}" for n, t in enumerate(report.targets)}  # element IDs the filters refer to
    # what a reader looks for first (where it failed, and why) comes first
    body = "\n".join([_title(report), _filters(report), _matrix(report, ids), _causes(report.causes, ids),
                      _head(report), _targets(report.targets, ids)])
    title = f"xacct report: {report.parent.runbook} {report.parent.execution_id} {report.parent.status}"
    return template.replace("__TITLE__", e(title)).replace(MARKER, body)


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _status(status: str) -> str:
    return f'<span class="badge s-{e(status)}">{e(status)}</span>'


def _json(value) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)  # a StringList as the CLI shows it
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _rows(pairs) -> str:
    return "".join(f"<tr><th>{e(k)}</th><td><pre>{e(_json(v))}</pre></td></tr>" for k, v in pairs)


def _title(report: Report) -> str:
    p = report.parent
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return (f'<h1>{e(p.runbook)} {_status(p.status)}</h1>'
            f'<p class="k">execution {e(p.execution_id)} started by {e(p.executed_by)} from {e(p.account)} '
            f'{e(p.region)}, {e(p.started[:19])} to {e((p.ended or "-")[:19])} UTC. Report generated {e(generated)} '
            'from the store.</p>')


def _head(report: Report) -> str:
    p = report.parent
    facts = [("Execution", p.execution_id), ("Runbook", f"{p.runbook} (version {p.version})"),
             ("Status", p.status), ("Started by", p.executed_by), ("From", f"{p.account} {p.region}"),
             ("Started", p.started), ("Ended", p.ended or "-"), ("Mode", p.mode)]
    if p.failure:
        facts.append(("Failure", p.failure))
    parameters = _rows(p.parameters.items()) or '<tr><td class="k">none</td></tr>'
    rate = _rows(p.rate_control.items()) or '<tr><td class="k">none given</td></tr>'
    return (f'<h2>The run</h2><table id="parent">{_rows(facts)}</table>'
            f'<h2>Parameters</h2><table id="parameters">{parameters}</table>'
            f'<h2>Rate control and targets</h2><table id="rate">{rate}</table>')


def _select(name: str, label: str, values) -> str:
    options = "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in values)
    return f'<label>{e(label)} <select id="f-{name}"><option value="">all</option>{options}</select></label>'


def _filters(report: Report) -> str:
    return ('<div id="filters">' + _select("status", "Status", report.statuses)
            + _select("account", "Account", report.accounts) + _select("region", "Region", report.regions)
            + _select("step", "Step", report.step_names)
            + '<label>Search <input id="f-search" type="search" placeholder="text in a target"></label>'
            + '<button id="f-clear" type="button">Clear</button> <span id="shown" class="k"></span></div>')


def _matrix(report: Report, ids) -> str:
    by_cell: dict[tuple[str, str], list[str]] = {}
    for target in report.targets:
        by_cell.setdefault((target.account, target.region), []).append(ids[id(target)])
    head = "".join(f"<th>{e(r)}</th>" for r in report.regions)
    rows = []
    for account in report.accounts:
        cells = []
        for region in report.regions:
            cell = report.cells.get((account, region))
            if cell is None:
                cells.append('<td class="none">-</td>')
                continue
            counts = ", ".join(f"{n} {s}" for s, n in sorted(cell.counts.items()))
            cells.append(f'<td class="cell s-{e(cell.status)}" data-account="{e(account)}" data-region="{e(region)}"'
                         f' data-status="{e(cell.status)}" data-targets="{" ".join(by_cell[(account, region)])}"'
                         f' title="{e(account)} {e(region)}: {e(counts)}">{e(counts)}</td>')
        rows.append(f"<tr><th>{e(account)}</th>{''.join(cells)}</tr>")
    totals = {}
    for target in report.targets:
        totals[target.status] = totals.get(target.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(totals.items()))
    return (f'<h2>Accounts x Regions</h2><p>{len(report.targets)} targets: {e(summary)}</p>'
            f'<table id="matrix"><tr><th>account \\ Region</th>{head}</tr>{"".join(rows)}</table>')


def _causes(causes: list[Cause], ids) -> str:
    if not causes:
        return '<h2>Failures by cause</h2><p id="causes">No target failed.</p>'
    parts = []
    for n, cause in enumerate(causes):
        where = ", ".join(f"{t.account} {t.region}" + (f" ({t.name})" if t.name != f"{t.account}_{t.region}" else "")
                          for t in cause.targets)
        finding = _finding(cause.finding)
        parts.append(
            f'<div class="cause" id="cause-{n}" data-targets="{" ".join(ids[id(t)] for t in cause.targets)}">'
            f'<b>{len(cause.targets)} target{"s" if len(cause.targets) != 1 else ""}</b>: {e(cause.text)}'
            + (f'<div><span class="k">AWS says:</span> <code>{e(cause.aws_text)}</code></div>'
               if cause.aws_text and cause.aws_text != cause.text else "")
            + (f'<div><span class="k">fix:</span> <code>{e(cause.fix)}</code></div>' if cause.fix else "")
            + (f'<div><span class="k">foreseen by:</span> {finding}</div>' if finding else "")
            + f'<div class="k">targets: {e(where)}</div></div>')
    return '<h2>Failures by cause</h2><div id="causes">' + "".join(parts) + "</div>"


def _finding(finding: str | None) -> str:
    from ..doctor.findings import CATALOG

    if not finding:
        return ""
    return f"<code>xacct doctor</code> {e(finding)}: {e(CATALOG.get(finding, ''))}"


def _targets(targets: list[Target], ids) -> str:
    parts = [_target(t, ids[id(t)]) for t in targets]
    return '<h2>Targets</h2><div id="targets">' + "".join(parts) + "</div>"


def _target(target: Target, element_id: str) -> str:
    why = target.explanation or {}
    steps = " ".join(sorted({s.name for s in target.steps}))
    details = []
    if target.execution_id:
        details.append(f'<div><span class="k">execution:</span> <code>{e(target.execution_id)}</code></div>')
    if target.failure:
        details.append(f'<div><span class="k">AWS says:</span> <code>{e(target.failure)}</code></div>')
    for key, label in (("cause", "cause"), ("fix", "fix")):
        if why.get(key):
            details.append(f'<div><span class="k">{label}:</span> <code>{e(why[key])}</code></div>')
    if why.get("decision") or why.get("layer"):
        details.append(f'<div><span class="k">why:</span> {e(why.get("decision"))} by the {e(why.get("layer"))} layer'
                       + (f" ({e(', '.join(why['statements']))})" if why.get("statements") else "") + "</div>")
    if target.finding:
        details.append(f'<div><span class="k">foreseen by:</span> {_finding(target.finding)}</div>')
    return (f'<details class="target" id="{element_id}" data-status="{e(target.status)}" data-account="{e(target.account)}"'
            f' data-region="{e(target.region)}" data-steps="{e(steps)}"><summary>{_status(target.status)} '
            f'<b>{e(target.account)} {e(target.region)}</b> {e(target.name)}</summary>'
            + "".join(details) + _timeline(target.steps) + "</details>")


def _timeline(steps: list[Step]) -> str:
    """Each step as a bar placed in the target's time span, with its inputs, outputs and failure."""
    if not steps:
        return '<p class="k">No step ran (the target did not start an execution).</p>'
    times = [datetime.fromisoformat(t) for s in steps for t in (s.start, s.end) if t]
    first, last = (min(times), max(times)) if times else (None, None)
    span = max((last - first).total_seconds(), 1e-6) if times else 1.0
    rows = []
    for n, step in enumerate(steps):
        # a step that started an execution fails with what failed below it: say it once, there
        leads = n + 1 < len(steps) and steps[n + 1].depth > step.depth
        bar = ""
        if step.start and first is not None:
            left = (datetime.fromisoformat(step.start) - first).total_seconds() / span * 100
            width = (step.seconds or 0) / span * 100
            bar = f'<div class="tl"><span class="s-{e(step.status)}" style="left:{left:.1f}%;width:{width:.1f}%"></span></div>'
        took = f"{step.seconds:.3f}s" if step.seconds is not None else "-"
        extra = "".join([_rows(("input " + k, v) for k, v in step.inputs.items()),
                         _rows(("output " + k, v) for k, v in step.outputs.items())])
        if step.failure and not leads:
            extra += _rows([("failure", step.failure)])
        if step.explanation and step.explanation.get("cause"):
            extra += _rows([("cause", step.explanation["cause"])])
        if step.explanation and step.explanation.get("fix"):
            extra += _rows([("fix", step.explanation["fix"])])
        indent = "&nbsp;&nbsp;" * step.depth
        rows.append(f'<tr class="step"><td>{indent}{e(step.name)}<div class="k">{e(step.action)}</div></td>'
                    f'<td>{_status(step.status)}</td><td class="mono">{e((step.start or "-")[11:23])}</td>'
                    f'<td class="mono">{e(took)}</td><td>{bar}</td>'
                    f'<td>{"<table>" + extra + "</table>" if extra else ""}</td></tr>')
    return ('<table class="steps"><tr><th>step</th><th>status</th><th>start (UTC)</th><th>duration</th>'
            '<th>timeline</th><th>inputs, outputs, failure</th></tr>' + "".join(rows) + "</table>")
