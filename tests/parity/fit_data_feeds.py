"""Data feeds and a batch recorder shared by `generate_fit_data_goldens.py`
(run under real Keras) and minikeras's `tests/trainers` fit-data tests, so
both libraries see exactly the same batches.

Pure Python and numpy: each side mixes `ArraySlices` into its own
`PyDataset` and `BatchEvents` into its own `Callback`.
"""
import numpy as np


def batches(x, y, sw, batch_size, repeat=False):
    """A generator of `(x, y)` (or `(x, y, sw)`) batches, once or forever."""
    while True:
        for start in range(0, len(x), batch_size):
            s = slice(start, start + batch_size)
            yield (x[s], y[s]) if sw is None else (x[s], y[s], sw[s])
        if not repeat:
            return


class ArraySlices:
    """`PyDataset` mixin: consecutive `batch_size` slices of arrays."""

    def __init__(self, x, y, sw, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.sw, self.batch_size = x, y, sw, batch_size

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        if self.sw is None:
            return self.x[s], self.y[s]
        return self.x[s], self.y[s], self.sw[s]


class BatchEvents:
    """`Callback` mixin recording train-batch indices and `"E<epoch>"` marks."""

    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(int(batch))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(f"E{epoch}")
