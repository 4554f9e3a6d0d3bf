"""Validate Automation documents: load each file, run every rule, and place each finding."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator, NamedTuple

from .findings import Finding, severity_of
from .loader import Loaded, Source, UnreadableInput, load_file, load_text
from .model import build_document
from .rules import RULES

EXTENSIONS = (".yaml", ".yml", ".json", ".template")


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, and the runbook files (by extension) below any directory, in name order."""
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(EXTENSIONS):
                        yield os.path.join(folder, name)
        else:
            yield path


def check_source(source: Source) -> list[Finding]:
    prefix = f"{source.name}: " if source.name else ""
    try:
        doc = build_document(source)
    except Exception as exc:  # the model is built from any data; a failure here is xacct's bug
        return [_internal_error(source.path, f"{prefix}internal error reading the document", exc)]
    findings = []
    for rule in RULES:
        try:
            issues = list(rule.check(doc))
        except Exception as exc:  # a rule must never take the whole run down with it
            issues = []
            findings.append(_internal_error(source.path, f"{prefix}internal error in rule {rule.id}", exc))
        for issue in issues:
            mark = source.positions.of(issue.path, key=issue.at_key)
            rule_id = rule.id_of(issue)
            findings.append(
                Finding(source.path, mark.line, mark.column, rule_id, severity_of(rule_id), prefix + issue.message)
            )
    return findings


def _internal_error(path: str, what: str, exc: Exception) -> Finding:
    """E0000: xacct itself failed. Every cause found so far became a finding of its own; this
    keeps one file's surprise from hiding the findings of the others."""
    return Finding(path, 1, 1, "E0000", "error", f"{what}: {type(exc).__name__}: {exc}")


def validate_file(path: str) -> list[Finding]:
    """All findings for one file; raises UnreadableInput when the file cannot be read at all."""
    try:
        loaded = load_file(path)
    except UnreadableInput:
        raise
    except Exception as exc:
        return [_internal_error(path, "internal error loading the file", exc)]
    return _check_loaded(loaded)


def validate_text(text: str, path: str = "<text>") -> list[Finding]:
    """All findings for `text`, reported as if it were the file at `path`."""
    try:
        loaded = load_text(path, text)
    except Exception as exc:
        return [_internal_error(path, "internal error loading the text", exc)]
    return _check_loaded(loaded)


def _check_loaded(loaded: Loaded) -> list[Finding]:
    findings = list(loaded.findings)
    for source in loaded.documents:
        findings.extend(check_source(source))
    return sorted(set(findings))


def validate(paths: Iterable[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path in expand_paths(paths):
        findings.extend(validate_file(path))
    return findings


class FileResult(NamedTuple):
    path: str
    findings: list[Finding]
    unreadable: str | None  # why the file could not be read, when it could not


def available_cores() -> int:
    """The cores this process may run on (a container's or `taskset`'s share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _one_file(path: str) -> FileResult:
    try:
        return FileResult(path, validate_file(path), None)
    except UnreadableInput as exc:
        return FileResult(path, [], str(exc))


# Below this many files for each worker, starting the workers costs more than it saves.
FILES_PER_WORKER = 8


def validate_files(paths: Iterable[str], jobs: int = 1) -> Iterator[FileResult]:
    """Each file's findings, in the order of `paths`, validated by up to `jobs` processes.

    Validation is CPU-bound Python, so threads would take turns; processes forked from this one
    share the rules and botocore's models that it loaded first. Where processes cannot be forked,
    or a worker dies, the files left are validated here, one after another."""
    paths = list(paths)
    jobs = min(jobs, len(paths) // FILES_PER_WORKER)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_one_file, paths)
        return
    validate_text("schemaVersion: '0.3'\nmainSteps: []\n", "warm-up.yaml")  # models loaded once, here
    done = 0
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            chunk = max(1, min(32, len(paths) // (jobs * 4)))
            for result in pool.map(_one_file, paths, chunksize=chunk):
                yield result
                done += 1
    except (BrokenProcessPool, OSError):  # a worker killed (out of memory, say) or none started
        yield from map(_one_file, paths[done:])


__all__ = ["validate", "validate_file", "validate_files", "validate_text", "expand_paths", "available_cores",
           "FileResult", "UnreadableInput"]
