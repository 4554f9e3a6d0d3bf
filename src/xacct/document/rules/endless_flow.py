from ..flow import END, flow_of, scopes
from ..model import Document
from .base import Issue, Rule


class EndlessFlow(Rule):
    """A step from which no path of successful steps ever reaches the end repeats until the
    execution times out: nextStep loops and branches with no way out."""

    id = "E3004"
    summary = "no step loops forever"
    blocks_creation = False

    def check(self, doc: Document):
        for steps in scopes(doc):
            flow = flow_of(steps)
            names = [s.name for s in steps if s.name]
            if len(names) != len(steps) or len(set(names)) != len(names):
                continue  # E2001/E2002 first
            ends = {END}
            changed = True
            while changed:  # steps that can reach the end, grown until it stops growing
                changed = False
                for name in names:
                    if name not in ends and any(t in ends or t not in names for t in flow.success[name]):
                        ends.add(name)
                        changed = True
            reported = set()
            for step in steps:
                if step.name in ends or step.name in reported:
                    continue
                cycle = self._cycle_from(step.name, flow)
                reported.update(cycle)
                yield Issue(step.property_path("name"),
                            f"step '{step.name}' never reaches the end: {' -> '.join(cycle + [cycle[0]])} "
                            "repeats with no way out")

    @staticmethod
    def _cycle_from(start: str, flow) -> list[str]:
        path, seen = [start], {start}
        while True:
            nxt = flow.success[path[-1]][0]
            if nxt in seen:
                return path[path.index(nxt):]
            path.append(nxt)
            seen.add(nxt)
