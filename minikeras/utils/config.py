"""`keras.utils.Config`: a dict whose entries are also attributes, and can be frozen."""
import copy
import difflib
import json


class Config:
    """A dict-like container for named values, also readable as attributes.

    Compared to a plain dict, a `Config` offers attribute access
    (`config.seed`), freezing (`freeze()` makes any later change raise a
    `ValueError`) and JSON serialization (`to_json()`).

    Example:

    ```python
    config = keras.utils.Config(learning_rate=0.1, momentum=0.9)
    config.use_ema = True          # attribute-style setting
    config["seed"] = 123           # dict-style setting
    assert config.seed == 123 and config["learning_rate"] == 0.1
    print(dict(config.items()), config.to_json())

    config.freeze()
    config.foo = "bar"             # ValueError: the config is frozen
    ```

    Iterating a config yields its keys in sorted order.
    """

    __attrs__ = None

    def __init__(self, **kwargs):
        self._config = kwargs
        self._frozen = False
        # Names that are real attributes; every other name is a config entry.
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self):
        """Returns True if the config is frozen."""
        return self._frozen

    def freeze(self):
        """Marks the config as frozen, preventing any ulterior modification."""
        self._frozen = True

    def unfreeze(self):
        self._frozen = False

    def _raise_if_frozen(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self):
        return copy.copy(self._config)

    def to_json(self):
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def pop(self, *args):
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def get(self, keyname, value=None):
        return self._config.get(keyname, value)

    def __setattr__(self, name, value):
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__setattr__(self, name, value)
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__getattribute__(self, name)
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, config.keys(), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __repr__(self):
        return f"<Config {self._config}>"

    def __iter__(self):
        yield from sorted(self._config.keys())

    def __len__(self):
        return len(self._config)

    def __delitem__(self, key):
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item):
        return item in self._config
