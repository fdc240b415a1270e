"""keras.tree: utilities for nested structures (lists, tuples, dicts of leaves)."""
MAP_TO_NONE = object()


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict))


def flatten(structure):
    """Leaves in order; dicts are visited in sorted key order, as Keras does."""
    if isinstance(structure, dict):
        out = []
        for k in sorted(structure):
            out.extend(flatten(structure[k]))
        return out
    if isinstance(structure, (list, tuple)):
        out = []
        for s in structure:
            out.extend(flatten(s))
        return out
    return [structure]


def flatten_with_path(structure):
    def walk(s, path):
        if isinstance(s, dict):
            for k in sorted(s):
                yield from walk(s[k], path + (k,))
        elif isinstance(s, (list, tuple)):
            for i, e in enumerate(s):
                yield from walk(e, path + (i,))
        else:
            yield path, s
    return list(walk(structure, ()))


def pack_sequence_as(structure, flat_sequence, sequence_fn=None):
    it = iter(flat_sequence)

    def build(s):
        if isinstance(s, dict):
            built = {k: build(s[k]) for k in sorted(s)}
            return type(s)((k, built[k]) for k in s) if not isinstance(s, dict) else {k: built[k] for k in s}
        if isinstance(s, (list, tuple)):
            items = [build(e) for e in s]
            return type(s)(*items) if hasattr(s, "_fields") else type(s)(items)
        return next(it)
    result = build(structure)
    leftover = list(it)
    if leftover:
        raise ValueError(f"The flat sequence has {len(leftover)} more elements than the structure.")
    return result


def map_structure(func, *structures, none_is_leaf=True):
    if not structures:
        raise ValueError("Must provide at least one structure.")
    first = structures[0]
    for s in structures[1:]:
        assert_same_structure(first, s)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(first, [func(*args) for args in zip(*flats)])


def map_structure_up_to(shallow_structure, func, *structures):
    if not is_nested(shallow_structure):
        return func(*structures)
    if isinstance(shallow_structure, dict):
        return {k: map_structure_up_to(shallow_structure[k], func, *[s[k] for s in structures])
                for k in shallow_structure}
    return type(shallow_structure)(
        map_structure_up_to(sub, func, *[s[i] for s in structures])
        for i, sub in enumerate(shallow_structure))


def traverse(func, structure, top_down=True):
    def walk(s):
        if top_down:
            r = func(s)
            if r is not None:
                return None if r is MAP_TO_NONE else r
        if isinstance(s, dict):
            mapped = {k: walk(v) for k, v in s.items()}
        elif isinstance(s, (list, tuple)):
            mapped = type(s)(walk(e) for e in s)
        else:
            mapped = s
        if not top_down:
            r = func(mapped)
            if r is not None:
                return None if r is MAP_TO_NONE else r
        return mapped
    return walk(structure)


def assert_same_structure(a, b, check_types=None):
    def shape(s):
        if isinstance(s, dict):
            return ("dict", tuple(sorted((k, shape(v)) for k, v in s.items())))
        if isinstance(s, (list, tuple)):
            return ("seq", len(s), tuple(shape(e) for e in s))
        return "leaf"
    if shape(a) != shape(b):
        raise ValueError(f"The two structures don't have the same nested structure: {a} vs {b}")


def assert_same_paths(a, b):
    pa = {p for p, _ in flatten_with_path(a)}
    pb = {p for p, _ in flatten_with_path(b)}
    if pa != pb:
        raise ValueError(f"The two structures don't have the same paths: {sorted(pa ^ pb)}")


def lists_to_tuples(structure):
    if isinstance(structure, dict):
        return {k: lists_to_tuples(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return tuple(lists_to_tuples(e) for e in structure)
    return structure


def map_shape_structure(func, structure):
    if isinstance(structure, tuple) and all(d is None or isinstance(d, int) for d in structure):
        return func(structure)
    if isinstance(structure, dict):
        return {k: map_shape_structure(func, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_shape_structure(func, e) for e in structure)
    return func(structure)
