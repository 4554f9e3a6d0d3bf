"""Where every value of a loaded file stands, so any finding can point at a line and column.

Values are plain Python data (dict, list, str, int, ...). Positions are kept beside them, keyed
by the *path* of a value: a tuple of mapping keys and list indexes from the root. Checks speak in
paths; this module is the one place that turns a path into a line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Union

PathItem = Union[str, int]
Path = tuple[PathItem, ...]


class Mark(NamedTuple):
    """A 1-based line and column. A named tuple: the parser makes one for every value of a file,
    and a tuple is made at C speed where a frozen dataclass is not."""

    line: int
    column: int


START = Mark(1, 1)


@dataclass
class Positions:
    """Marks of the values (and of the mapping keys) of one file, by path.

    `prefix` lets a part of a file (the `Content` of a CloudFormation resource) be addressed with
    paths relative to itself while its marks stay those of the whole file.
    """

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)
    prefix: Path = ()

    def of(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the value at `path` (of its key with `key=True`), or of the nearest
        enclosing value when the path itself was never loaded (a missing key, say)."""
        full = self.prefix + tuple(path)
        if key and full in self.keys:
            return self.keys[full]
        while True:
            if full in self.values:
                return self.values[full]
            if not full:
                return START
            full = full[:-1]

    def under(self, path: Path) -> "Positions":
        """A view of the same marks in which `path` is the root."""
        return Positions(self.values, self.keys, self.prefix + tuple(path))


def shifted(inner: Positions, line_offset: int, column_offset: int, fixed: Mark | None = None) -> Positions:
    """The marks of a document parsed from a string inside another file, moved to where that
    string stands in the outer file. With `fixed`, every mark becomes that one mark (used when the
    string's own line breaks cannot be traced back, as in a quoted or folded scalar)."""

    def move(mark: Mark) -> Mark:
        if fixed is not None:
            return fixed
        return Mark(mark.line + line_offset, mark.column + column_offset)

    return Positions(
        {p: move(m) for p, m in inner.values.items()},
        {p: move(m) for p, m in inner.keys.items()},
        inner.prefix,
    )
