"""Walking and changing parsed JSON/YAML data by path, for the structure-aware mutators: a path is
the tuple of keys and indexes from the root to a value."""


def paths(data, path=()):
    """Every path in `data`, the root's () first; iterative, so deep data does not recurse."""
    stack = [(path, data)]
    while stack:
        here, item = stack.pop()
        yield here
        if isinstance(item, dict):
            stack.extend((here + (key,), value) for key, value in item.items())
        elif isinstance(item, list):
            stack.extend((here + (index,), value) for index, value in enumerate(item))


def value_at(data, path):
    for key in path:
        data = data[key]
    return data


def replace(data, path, value):
    """`data` with the value at `path` replaced (the root itself when the path is empty)."""
    if not path:
        return value
    value_at(data, path[:-1])[path[-1]] = value
    return data
