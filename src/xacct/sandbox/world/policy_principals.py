"""The Principal and NotPrincipal of a world's policies, as IAM accepts them ("AWS JSON policy
elements: Principal"): `"*"`, or a mapping of AWS, Service, Federated or CanonicalUser to one
name or a list of names. IAM refuses anything else with MalformedPolicyDocument; the world loader
refuses it first, so that nothing past it ever meets a number where a name should be."""

from __future__ import annotations

from typing import Any

KINDS = ("AWS", "Service", "Federated", "CanonicalUser")


def _statements(document: dict) -> list[tuple[tuple, Any]]:
    raw = document.get("Statement")
    if isinstance(raw, list):
        return [(("Statement", i), item) for i, item in enumerate(raw)]
    return [(("Statement",), raw)]


def _name_problem(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return None
    return f"a principal is a non-empty string, not {value!r}"[:120]


def _element_problems(element: Any) -> list[tuple[tuple, str]]:
    if element == "*":
        return []
    if isinstance(element, str):
        return [((), 'a Principal given as a string is "*"; name others as {"AWS": ...}, {"Service": ...}')]
    if not isinstance(element, dict) or not element:
        return [((), "a Principal is \"*\" or a mapping of " + ", ".join(KINDS) + " to names")]
    problems = []
    for kind, names in element.items():
        if kind not in KINDS:
            problems.append(((kind,), f"unknown kind of principal {kind!r} (known: {', '.join(KINDS)})"))
            continue
        if isinstance(names, list):
            if not names:
                problems.append(((kind,), f"the list of {kind} principals is empty"))
            problems += [((kind, i), problem) for i, name in enumerate(names) if (problem := _name_problem(name))]
        elif problem := _name_problem(names):
            problems.append(((kind,), problem))
    return problems


def principal_problems(document: Any) -> list[tuple[tuple, str]]:
    """(path within the document, message) of every Principal IAM would refuse."""
    if not isinstance(document, dict):
        return []
    problems = []
    for where, statement in _statements(document):
        if not isinstance(statement, dict):
            continue
        for element in ("Principal", "NotPrincipal"):
            if element in statement:
                problems += [(where + (element,) + inner, message)
                             for inner, message in _element_problems(statement[element])]
    return problems
