"""`TerminateOnNaN`: stop training as soon as the loss is NaN or infinite."""
import numpy as np

from minikeras.callbacks.callback import Callback
from minikeras.utils.progbar import print_msg


class TerminateOnNaN(Callback):
    """Callback that terminates training when a NaN loss is encountered.

    Args:
        raise_error: If `True`, raise a `RuntimeError` at the first NaN or
            Inf loss instead of setting `model.stop_training` (which lets the
            current epoch's end hooks still run).
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if np.isnan(loss) or np.isinf(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. "
                    f"Loss value: {loss}. Terminating training immediately.")
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
