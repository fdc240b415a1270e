"""`OrbaxCheckpoint`: present for API parity; Orbax is a JAX library."""
from minikeras.callbacks.callback import Callback


class OrbaxCheckpoint(Callback):
    """Keras 3's checkpointing through Orbax (JAX's checkpoint library).

    Orbax checkpoints are written by the `orbax-checkpoint` package on JAX
    arrays, which minikeras does not use. Use `ModelCheckpoint` (`.keras` or
    `.weights.h5` files) or `BackupAndRestore` instead.

    Raises:
        NotImplementedError: always, when constructed.
    """

    def __init__(self, directory, monitor="val_loss", verbose=0,
                 save_best_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None, max_to_keep=1,
                 save_on_background=True, save_weights_only=False):
        super().__init__()
        raise NotImplementedError(
            "OrbaxCheckpoint needs the JAX `orbax-checkpoint` library and is "
            "not available in minikeras. Use "
            "`keras.callbacks.ModelCheckpoint(filepath)` with a `.keras` or "
            "`.weights.h5` path, or `keras.callbacks.BackupAndRestore`.")
