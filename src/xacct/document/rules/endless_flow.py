from ..flow import END, Flow, flows
from ..model import Document
from .base import Issue, Rule

# Steps of a long cycle named in a message, before the rest is counted instead.
SHOWN = 12


class EndlessFlow(Rule):
    """A step from which no path of successful steps ever reaches the end repeats until the
    execution times out: nextStep loops and branches with no way out."""

    id = "E3004"
    summary = "no step loops forever"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"
    blocks_creation = False

    def check(self, doc: Document):
        for flow in flows(doc):
            steps = flow.steps
            names = [s.name for s in steps if s.name]
            if len(names) != len(steps) or len(set(names)) != len(names):
                continue  # E2001/E2002 first
            ends = _reaching_the_end(flow, names)
            entry = _cycles(flow, [n for n in names if n not in ends])
            reported = set()
            for step in steps:
                if step.name in ends or step.name in reported:
                    continue
                cycle = entry[step.name]
                reported.update(cycle)
                yield Issue(step.property_path("name"),
                            f"step '{step.name}' never reaches the end: {_shown(cycle)} repeats with no way out")


def _reaching_the_end(flow: Flow, names: list[str]) -> set[str]:
    """Steps from which some path of successes reaches the end (or a jump to no step, which
    E3001 reports): found backwards from the end, each step visited once."""
    known = set(names)
    before: dict[str, list[str]] = {name: [] for name in names}
    ends: set[str] = set()
    todo: list[str] = []
    for name in names:
        for target in flow.success[name]:
            if target == END or target not in known:
                if name not in ends:
                    ends.add(name)
                    todo.append(name)
            else:
                before[target].append(name)
    while todo:
        for earlier in before[todo.pop()]:
            if earlier not in ends:
                ends.add(earlier)
                todo.append(earlier)
    return ends


def _cycles(flow: Flow, endless: list[str]) -> dict[str, list[str]]:
    """For each endless step, the cycle its first successor leads to, starting where the step
    enters it. Every endless step's successors are endless too, so following the first one
    always ends in a cycle; each step is walked once."""
    entry: dict[str, list[str]] = {}
    for start in endless:
        if start in entry:
            continue
        path, index = [], {}
        name = start
        while name not in entry and name not in index:
            index[name] = len(path)
            path.append(name)
            name = flow.success[name][0]
        if name in index:  # a new cycle, closed on this walk
            cycle = path[index[name]:]
            for i, member in enumerate(cycle):
                entry[member] = cycle[i:] + cycle[:i]
            tail = path[: index[name]]
            reached = cycle
        else:  # joins a cycle found before
            tail = path
            reached = entry[name]
        for member in tail:
            entry[member] = reached
    return entry


def _shown(cycle: list[str]) -> str:
    if len(cycle) <= SHOWN:
        return " -> ".join(cycle + [cycle[0]])
    return " -> ".join(cycle[: SHOWN - 2]) + f" -> ... ({len(cycle) - SHOWN + 1} more) -> {cycle[-1]} -> {cycle[0]}"
