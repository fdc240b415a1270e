"""`Optimizer`: the base class of every optimizer, with Keras 3's common arguments.

Updates run in place on each variable's numpy array (`variable._value`) with
`out=` arguments and a preallocated scratch buffer, so a step allocates no
parameter-sized temporaries. Arithmetic stays in the variable's dtype
(float32) and follows the order Keras 3 uses, so results match Keras to
float32 precision.
"""
import os
import re
import sys
import warnings

import numpy as np

from minikeras.backend import common
from minikeras.backend.eager_tensor import as_eager
from minikeras.backend.variables import Variable, _plain
from minikeras.optimizers.schedules import learning_rate_schedule

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
_F32 = np.float32


def _warn_deprecated(message):
    """A `DeprecationWarning` attributed to the first frame outside this package."""
    frame, level = sys._getframe(0), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PKG_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, DeprecationWarning, stacklevel=level)


def _check_learning_rate(value):
    """A float learning rate from a number; Keras's error for anything else."""
    raw = _plain(value)
    is_number = (isinstance(raw, (int, float, np.integer, np.floating))
                 or (isinstance(raw, np.ndarray) and raw.ndim == 0
                     and raw.dtype.kind in "iuf"))
    if isinstance(raw, (bool, np.bool_)) or not is_number:
        raise ValueError(
            "Argument `learning_rate` should be float, or an instance of "
            "LearningRateSchedule, or a callable (that takes in the current "
            "iteration value and returns the corresponding learning rate "
            f"value). Received instead: learning_rate={value}")
    value = float(raw)
    if not value >= 0:
        raise ValueError(
            f"Argument `learning_rate` must be a non-negative number. "
            f"Received: learning_rate={value}")
    return value


def _zeros_initializer(shape, dtype=None):
    return np.zeros(shape, dtype=dtype)


def _resolve_initializer(initializer):
    """An `(shape, dtype) -> array` callable for add_variable's `initializer`."""
    if initializer is None or (isinstance(initializer, str) and initializer.lower() == "zeros"):
        return _zeros_initializer
    if isinstance(initializer, (int, float, np.number)):
        value = initializer
        return lambda shape, dtype=None: np.full(shape, value, dtype=dtype)
    if isinstance(initializer, np.ndarray):
        return initializer
    from minikeras import initializers
    return initializers.get(initializer)


class Optimizer:
    """Abstract optimizer base class.

    If you intend to create your own optimization algorithm, please inherit
    from this class and override the following methods:

    - `build`: Create your optimizer-related variables, such as momentum
        variables in the SGD optimizer.
    - `update_step`: Implement your optimizer's variable updating logic.
    - `get_config`: serialization of the optimizer.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use.
        weight_decay: Float. If set, weight decay is applied (decoupled:
            `w -= w * weight_decay * learning_rate` before each update).
        clipnorm: Float. If set, the gradient of each weight is individually
            clipped so that its norm is no higher than this value.
        clipvalue: Float. If set, the gradient of each weight is clipped to be
            no higher than this value.
        global_clipnorm: Float. If set, the gradient of all weights is clipped
            so that their global norm is no higher than this value.
        use_ema: Boolean, defaults to `False`. If `True`, an exponential moving
            average (EMA) of the model's weights is kept.
        ema_momentum: Float, defaults to 0.99. The EMA momentum:
            `new_average = ema_momentum * old_average + (1 - ema_momentum) *
            current_variable_value`.
        ema_overwrite_frequency: Int or None. Every `ema_overwrite_frequency`
            iterations, the model variables are overwritten by their moving
            average. If None, call `finalize_variable_values()` at the end of
            training (`fit()` does it).
        loss_scale_factor: Float or `None`. If a float, the loss is multiplied
            by it before computing gradients (`scale_loss`) and the gradients
            are divided by it before updating variables.
        gradient_accumulation_steps: Int or `None`. If an int, variables are
            updated every `gradient_accumulation_steps` steps, using the
            average of the gradients since the last update.
        name: String. The name of the optimizer (and prefix of its variables).

    Legacy Keras 2 arguments are accepted with a `DeprecationWarning`:
    `lr` (use `learning_rate`) and `decay` (the Keras 2 inverse-time decay
    `lr / (1 + decay * iterations)`; use a
    `keras.optimizers.schedules.InverseTimeDecay` instead).

    Example:

    ```python
    class SimpleSGD(keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, ops.multiply(gradient, learning_rate))
    ```
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        self._lock = False
        self._variables = []
        self._variable_ids = set()
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._scratch_flat = {}
        self._scratch_views = {}
        self._const_cache = [None, None, {}]
        self._scope_prefix = ""  # set by a wrapping optimizer while it builds us

        if "lr" in kwargs:
            _warn_deprecated(
                "The `lr` argument is deprecated; use `learning_rate` instead "
                f"(Keras 3 spelling). Received: lr={kwargs['lr']}")
            learning_rate = kwargs.pop("lr")
        self._legacy_decay = 0.0
        if "decay" in kwargs:
            decay = kwargs.pop("decay")
            if decay:
                _warn_deprecated(
                    "The `decay` argument is deprecated and Keras 3 no longer "
                    "supports it. Applying Keras 2's inverse-time decay "
                    "`lr / (1 + decay * iterations)`. In Keras 3, write "
                    "`learning_rate=keras.optimizers.schedules.InverseTimeDecay("
                    "initial_learning_rate, decay_steps=1, decay_rate=decay)`.")
                self._legacy_decay = float(decay)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")

        if name is None:
            name = common.unique_name(common.to_snake_case(self.__class__.__name__))
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps:
            if not gradient_accumulation_steps >= 2:
                raise ValueError(
                    "`gradient_accumulation_steps` must be an integer >= 2. "
                    f"Received: gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError(
                    "`ema_momentum` must be in the range [0, 1]. "
                    f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (
                    not isinstance(ema_overwrite_frequency, int)
                    or ema_overwrite_frequency < 1):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                    f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can "
                f"be set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}")
        self.built = False

        self._iterations = Variable(0, dtype="int64", trainable=False,
                                    name="iteration", path=f"{self.name}/iteration")
        self._track_variable(self._iterations)
        self._learning_rate = self._make_learning_rate(learning_rate)

    # ----- attribute tracking --------------------------------------------------
    def __setattr__(self, name, value):
        # As Keras does, Variables assigned as attributes become optimizer state.
        if isinstance(value, Variable) and "_variables" in self.__dict__:
            self._track_variable(value)
        object.__setattr__(self, name, value)

    def _track_variable(self, variable):
        if id(variable) not in self._variable_ids:
            self._variable_ids.add(id(variable))
            self._variables.append(variable)

    def _untrack_variable(self, variable):
        if id(variable) in self._variable_ids:
            self._variable_ids.discard(id(variable))
            self._variables = [v for v in self._variables if v is not variable]

    def _check_super_called(self):
        if "_lock" not in self.__dict__:
            raise RuntimeError(
                f"In optimizer '{self.__class__.__name__}', you forgot to call "
                "`super().__init__()` as the first statement in the `__init__()` "
                "method. Go add it!")

    # ----- learning rate ---------------------------------------------------------
    def _make_learning_rate(self, learning_rate):
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule):
            return learning_rate
        if callable(learning_rate) and not isinstance(learning_rate, Variable):
            return learning_rate
        value = _check_learning_rate(learning_rate)
        var = Variable(value, dtype=common.standardize_dtype(None), trainable=False,
                       name="learning_rate", path=f"{self.name}/learning_rate")
        self._track_variable(var)
        return var

    @property
    def learning_rate(self):
        """The learning rate: a Variable (float rate) or the schedule's current value."""
        lr = self._get_current_learning_rate()
        if isinstance(lr, Variable):
            return lr
        # A tensor in Keras: `optimizer.learning_rate.numpy()` works with a schedule too.
        return as_eager(np.asarray(lr))

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        prev = self._learning_rate if isinstance(self._learning_rate, Variable) else None
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or (
                callable(learning_rate) and not isinstance(learning_rate, Variable)):
            self._learning_rate = learning_rate
        else:
            if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
                raise TypeError(
                    "This optimizer was created with a `LearningRateSchedule` "
                    "object as its `learning_rate` constructor argument, hence "
                    "its learning rate is not settable. If you need the learning "
                    "rate to be settable, you should instantiate the optimizer "
                    "with a float `learning_rate` argument.")
            value = _check_learning_rate(learning_rate)
            if prev is None:
                self._learning_rate = self._make_learning_rate(value)
            else:
                prev.assign(value)
        if prev is not None and self._learning_rate is not prev:
            self._untrack_variable(prev)

    @property
    def lr(self):
        """Deprecated Keras 2 alias of `learning_rate`."""
        _warn_deprecated("`optimizer.lr` is deprecated; use `optimizer.learning_rate` "
                         "(Keras 3 spelling).")
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        _warn_deprecated("`optimizer.lr` is deprecated; use `optimizer.learning_rate` "
                         "(Keras 3 spelling).")
        self.learning_rate = value

    def _get_current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            return _F32(np.asarray(_plain(lr(self._iterations))))
        if isinstance(lr, Variable):
            return lr
        if callable(lr):
            return lr()
        return lr

    def _learning_rate_value(self):
        """The learning rate applied this step, as a float32 scalar."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            value = _F32(lr._value)
        else:
            value = _F32(np.asarray(_plain(self._get_current_learning_rate())))
        if self._legacy_decay:
            # Keras 2: lr_t = lr / (1 + decay * iterations), in float32.
            step = _F32(self._iterations._value)
            value = _F32(value / (_F32(1) + _F32(self._legacy_decay) * step))
        return value

    # ----- iterations and variables ---------------------------------------------
    @property
    def iterations(self):
        """The number of update steps taken (an int64 Variable)."""
        if self.gradient_accumulation_steps:
            # Keras returns a tensor here (`iterations // steps`), and callback
            # code calls `.numpy()` on it as on the Variable.
            from minikeras.backend.eager_tensor import as_eager
            return as_eager(np.asarray(
                self._iterations._value // self.gradient_accumulation_steps))
        return self._iterations

    def _effective_iterations(self):
        it = int(self._iterations._value)
        if self.gradient_accumulation_steps:
            return it // self.gradient_accumulation_steps
        return it

    @property
    def variables(self):
        """The optimizer's state: iteration, learning rate, then the slots."""
        return self._variables[:]

    def _var_key(self, variable):
        return id(variable)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    def _overwrite_variable_with_gradient(self, variable):
        return getattr(variable, "overwrite_with_gradient", False)

    def build(self, variables):
        """Create the optimizer's state for `variables` (the trainable variables).

        Subclasses call `super().build(variables)` first, then create their
        slots with `add_variable_from_reference`/`add_optimizer_variables`.
        """
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[id(variable)] = i
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, name="gradient_accumulator"))
        self._trainable_variables = list(variables)
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None,
                     aggregation="none", layout=None, name=None):
        """Add a variable to the optimizer.

        Args:
            shape: Shape tuple for the variable (fully defined).
            initializer: Initializer object, string name of a built-in
                initializer, or a number. Defaults to `"zeros"`.
            dtype: Dtype of the variable; defaults to `keras.backend.floatx()`.
            aggregation: Multi-replica aggregation annotation (kept for
                compatibility). Defaults to `"none"`.
            layout: Unused (kept for compatibility).
            name: String name of the variable.

        Returns:
            An optimizer variable (a non-trainable `keras.Variable`).
        """
        self._check_super_called()
        init = _resolve_initializer(initializer)
        path = f"{self._scope_prefix}{self.name}/{name}" if name else None
        kwargs = {"path": path} if path else {}
        variable = Variable(init, shape=tuple(shape), dtype=dtype, trainable=False,
                            aggregation=aggregation, name=name, **kwargs)
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None,
                                    initializer="zeros"):
        """Add an optimizer variable shaped like a model variable.

        The variable is named `{reference_variable.path with '/' -> '_'}_{name}`,
        e.g. `dense_kernel_momentum`.

        Args:
            reference_variable: the model variable.
            name: name suffix; defaults to `"var"`.
            initializer: defaults to `"zeros"`.

        Returns:
            An optimizer variable of the same shape and dtype.
        """
        name = name or "var"
        if hasattr(reference_variable, "path"):
            name = f"{reference_variable.path.replace('/', '_')}_{name}"
        else:
            name = f"{str(reference_variable.name).replace('/', '_').replace(':', '_')}_{name}"
        return self.add_variable(shape=reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Add one optimizer variable (per name) for each trainable variable.

        Variables with `overwrite_with_gradient=True` get `None`. With a list of
        names, the variables are created interleaved (per variable, per name)
        and a tuple of lists is returned.

        Args:
            trainable_variables: the model variables.
            name: a name suffix or a list of them.
            initializer: an initializer or a list of them (one per name).

        Returns:
            A list of variables, or a tuple of lists for a list of names.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(name, str) or not isinstance(initializer, (list, tuple)):
            inits = [initializer] * len(names)
        else:
            inits = list(initializer)
        if len(names) != len(inits):
            raise ValueError(
                "The number of provided names must match the number of provided "
                f"initializers. Received name='{name}', initializer='{initializer}'")
        out = tuple([] for _ in names)
        for variable in trainable_variables:
            skip = self._overwrite_variable_with_gradient(variable)
            for i, (n, init) in enumerate(zip(names, inits)):
                out[i].append(None if skip else self.add_variable_from_reference(
                    variable, name=n, initializer=init))
        return out[0] if isinstance(name, str) else out

    # ----- assignment helpers (kept for custom update_step code) -----------------
    def assign(self, variable, value):
        """Assign `value` to `variable` (a model or optimizer variable)."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Add `value` to `variable`."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """Subtract `value` from `variable`."""
        variable.assign_sub(value)

    # ----- in-place update support ----------------------------------------------
    def _scratch(self, like, slot=0, dtype=None):
        """A preallocated buffer shaped like `like`; `slot` picks one of several.

        The buffer is shared by all variables (sized for the largest), so a step
        allocates nothing. `dtype` defaults to `like`'s.
        """
        dtype = like.dtype if dtype is None else np.dtype(dtype)
        key = (like.shape, dtype.char, slot)
        view = self._scratch_views.get(key)
        if view is None:
            fkey = (dtype.char, slot)
            flat = self._scratch_flat.get(fkey)
            if flat is None or flat.size < like.size:
                flat = np.empty(max(like.size, 1), dtype=dtype)
                self._scratch_flat[fkey] = flat
                self._scratch_views = {k: v for k, v in self._scratch_views.items()
                                       if k[1:] != key[1:]}
            view = flat[:like.size].reshape(like.shape)
            self._scratch_views[key] = view
        return view

    @staticmethod
    def _value_of(variable):
        """The variable's array, made writable in place if it is not."""
        value = variable._value
        if not value.flags.writeable:
            value = variable._value = np.array(value)
        return value

    def _step_constants(self, learning_rate, dtype=None):
        """Per-step scalars of `_compute_constants`, computed once per step.

        With `dtype`, they come as 0-d arrays of that dtype: numpy ufuncs take
        those faster than numpy scalars.
        """
        lr = learning_rate if type(learning_rate) is _F32 else _F32(
            np.asarray(_plain(learning_rate)))
        cache = self._const_cache  # [key, values, {dtype: values as 0-d arrays}]
        key = (self._iterations._value.item(), lr)
        if key != cache[0]:
            cache[:] = [key, self._compute_constants(lr), {}]
        if dtype is None:
            return cache[1]
        cast = cache[2].get(dtype)
        if cast is None:
            values = cache[1]
            single = not isinstance(values, tuple)
            cast = tuple(np.asarray(v, dtype=dtype) for v in ((values,) if single else values))
            cast = cache[2][dtype] = cast[0] if single else cast
        return cast

    def _compute_constants(self, lr):
        return lr

    # ----- applying gradients ---------------------------------------------------
    def update_step(self, gradient, variable, learning_rate):
        """Update `variable` given its `gradient`; subclasses implement it."""
        raise NotImplementedError

    def apply_gradients(self, grads_and_vars):
        """Apply gradients to variables.

        Args:
            grads_and_vars: a list (or iterable) of `(gradient, variable)`
                pairs. `None` gradients are skipped.

        Returns:
            The `iterations` variable.
        """
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, trainable_variables = zip(*pairs)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Update trainable variables according to provided gradient values.

        `grads` should be a list of gradients with 1:1 mapping to the list of
        variables the optimizer was built with. `trainable_variables` can be
        provided on the first call to build the optimizer.
        """
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must "
                    "already be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first.")
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the "
                    "gradients must match `optimizer.variables` one-to-one. "
                    f"Received a list of {len(grads)} gradients, but the optimizer "
                    f"is tracking {len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)

        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
            grads, trainable_variables)
        if grads:
            scale = self.loss_scale_factor
            if scale is not None:
                grads = [g / _F32(scale) for g in grads]
            self._backend_apply_gradients(grads, trainable_variables)
            for variable in trainable_variables:
                if getattr(variable, "constraint", None) is not None:
                    variable.assign(variable.constraint(variable))
        self._increment_iterations()

    def _increment_iterations(self):
        # A fresh 0-d array (as `assign` makes), without assign's checks.
        it = self._iterations
        it._value = np.array(it._value + 1, dtype=it._value.dtype)

    def minimize(self, loss, var_list, tape=None):
        """Deprecated Keras 2 method: compute gradients of `loss` and apply them.

        Keras 3 dropped it; write `grads = tape.gradient(loss, var_list)` and
        `optimizer.apply_gradients(zip(grads, var_list))` instead.

        Args:
            loss: a callable taking no arguments and returning the loss, or a
                loss value computed under `tape`.
            var_list: the variables to update (or a callable returning them).
            tape: the `GradientTape` that recorded `loss` when it is a value.

        Returns:
            The `iterations` variable.
        """
        _warn_deprecated(
            "`optimizer.minimize()` is a Keras 2 method. In Keras 3, compute "
            "`grads = tape.gradient(loss, variables)` with a `GradientTape` and "
            "call `optimizer.apply_gradients(zip(grads, variables))`.")
        from minikeras.backend.tape import GradientTape
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if callable(loss):
            with GradientTape() as tape:
                for v in var_list:
                    tape.watch(v)
                loss = loss()
        elif tape is None:
            raise ValueError(
                "`tape` is required when a `Tensor` loss is passed. "
                f"Received: loss={loss}, tape={tape}.")
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def _check_variables_are_known(self, variables):
        for v in variables:
            if id(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for "
                    "the variables it was originally built with. When working with "
                    "a new set of variables, you should recreate a new optimizer "
                    "instance.")

    def _filter_empty_gradients(self, grads, variables):
        kept_grads, kept_vars, missing = [], [], []
        for g, v in zip(grads, variables):
            if g is None:
                missing.append(getattr(v, "path", getattr(v, "name", str(v))))
                continue
            kept_grads.append(self._as_gradient(g, v))
            kept_vars.append(v)
        if not kept_grads:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing "
                "the loss. If using `model.compile()`, did you forget to provide "
                "a `loss` argument?", stacklevel=3)
        return kept_grads, kept_vars

    @staticmethod
    def _as_gradient(gradient, variable, copy_if_aliased=True):
        """The gradient as an array in the variable's dtype and shape.

        No copy is made if it already is one, unless it shares memory with the
        variable (which the update overwrites in place). `apply` converts the
        gradients once; `update_step` passes `copy_if_aliased=False`.
        """
        value = variable._value if isinstance(variable, Variable) else None
        dtype = None if value is None else value.dtype
        if (type(gradient) is np.ndarray and (dtype is None or gradient.dtype == dtype)
                and (value is None or gradient.shape == value.shape)):
            if copy_if_aliased and value is not None and np.may_share_memory(gradient, value):
                return gradient.copy()  # the update writes the variable in place
            return gradient
        gradient = np.asarray(_plain(gradient))
        if dtype is not None and gradient.dtype != dtype:
            gradient = gradient.astype(dtype)
        if value is not None and gradient.shape != value.shape:
            if gradient.size != value.size:
                raise ValueError(
                    f"Gradient for variable '{getattr(variable, 'path', variable.name)}' "
                    f"has shape {gradient.shape}, expected the variable's shape "
                    f"{value.shape}.")
            gradient = gradient.reshape(value.shape)
        return gradient

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        """Variables flagged `overwrite_with_gradient` take their gradient as value."""
        if not any(self._overwrite_variable_with_gradient(v) for v in variables):
            return grads, variables
        kept_grads, kept_vars = [], []
        for g, v in zip(grads, variables):
            if not self._overwrite_variable_with_gradient(v):
                kept_grads.append(g)
                kept_vars.append(v)
                continue
            if self.gradient_accumulation_steps:
                steps = self.gradient_accumulation_steps
                acc = self._accumulated_gradients[self._get_variable_index(v)]
                if (int(self._iterations._value) + 1) % steps == 0:
                    v.assign(np.maximum(g, acc._value))
                    acc.assign(np.zeros_like(acc._value))
                else:
                    acc.assign(np.maximum(g, acc._value))
            else:
                v.assign(g)
        return kept_grads, kept_vars

    def _backend_apply_gradients(self, grads, trainable_variables):
        """Accumulate or clip, decay and update; then EMA (as Keras 3 orders it)."""
        if self.gradient_accumulation_steps:
            steps = self.gradient_accumulation_steps
            accumulators = [self._accumulated_gradients[self._get_variable_index(v)]
                            for v in trainable_variables]
            if (int(self._iterations._value) + 1) % steps == 0:
                averaged = []
                for g, acc in zip(grads, accumulators):
                    total = self._value_of(acc)
                    np.add(g, total, out=total)
                    np.divide(total, _F32(steps), out=total)
                    averaged.append(total)
                averaged = self._clip_gradients(averaged)
                self._apply_weight_decay(trainable_variables)
                self._backend_update_step(averaged, trainable_variables,
                                          self._learning_rate_value())
                for acc in self._accumulated_gradients:
                    if acc is not None:
                        self._value_of(acc).fill(0)
            else:
                for g, acc in zip(grads, accumulators):
                    total = self._value_of(acc)
                    np.add(total, g, out=total)
        else:
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(trainable_variables)
            self._backend_update_step(grads, trainable_variables,
                                      self._learning_rate_value())

        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                if (self._effective_iterations() + 1) % self.ema_overwrite_frequency == 0:
                    self._overwrite_model_variables_with_average_value(
                        self._trainable_variables)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        for grad, variable in zip(grads, trainable_variables):
            self.update_step(grad, variable, learning_rate)

    # ----- clipping and weight decay -----------------------------------------------
    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            v = self.clipvalue
            return [np.clip(g, -v, v).astype(g.dtype, copy=False) for g in grads]
        return grads

    def _clip_by_norm(self, values):
        # tf.clip_by_norm: values * clipnorm / max(||values||, clipnorm).
        flat = values.reshape(-1)
        l2sum = np.dot(flat, flat)
        l2norm = np.sqrt(l2sum) if l2sum > 0 else l2sum
        clip = values.dtype.type(self.clipnorm)
        return (values * clip) / np.maximum(l2norm, clip)

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exclude variables from weight decay.

        Call it before the optimizer is built. Variables in `var_list`, or
        whose name contains any string of `var_names`, get no weight decay.

        Args:
            var_list: A list of `Variable`s to exclude from weight decay.
            var_names: A list of strings; e.g. `var_names=['bias']` excludes
                all bias variables.
        """
        self._exclude_from_weight_decay = (
            set(id(v) for v in var_list) if var_list else set())
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None)
        self._exclude_from_weight_decay_cache = {}

    def _use_weight_decay(self, variable):
        cache = self.__dict__.setdefault("_exclude_from_weight_decay_cache", {})
        key = id(variable)
        if key in cache:
            return cache[key]
        use = key not in getattr(self, "_exclude_from_weight_decay", set())
        pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
        if use and pattern is not None and re.search(pattern, variable.name) is not None:
            use = False
        cache[key] = use
        return use

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        lr = self._learning_rate_value()
        for variable in variables:
            if self._use_weight_decay(variable):
                value = self._value_of(variable)
                wd = value.dtype.type(self.weight_decay)
                tmp = self._scratch(value)
                np.multiply(value, wd, out=tmp)
                np.multiply(tmp, value.dtype.type(lr), out=tmp)
                np.subtract(value, tmp, out=value)

    # ----- exponential moving average ---------------------------------------------
    def _update_model_variables_moving_average(self, trainable_variables):
        if not self.use_ema:
            return
        first = self._effective_iterations() == 0
        for variable, average in zip(trainable_variables,
                                     self._model_variables_moving_average):
            if average is None:
                continue
            value = self._value_of(variable)
            avg = self._value_of(average)
            momentum = value.dtype.type(0 if first else self.ema_momentum)
            tmp = self._scratch(value)
            np.multiply(value, value.dtype.type(1) - momentum, out=tmp)
            np.multiply(avg, momentum, out=avg)
            np.add(avg, tmp, out=avg)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        averages = self._model_variables_moving_average
        if len(trainable_variables) != len(averages):
            raise ValueError(
                f"The length of model variables ({len(trainable_variables)}) to "
                "override does not match the length of model variables stored in "
                f"the optimizer ({len(averages)}). Please check if the optimizer "
                "was called on your model.")
        for variable, average in zip(trainable_variables, averages):
            if average is not None:
                np.copyto(self._value_of(variable), average._value)

    def finalize_variable_values(self, var_list):
        """Set the final value of the model's trainable variables.

        With `use_ema=True`, the variables are overwritten by their moving
        average (`fit()` calls this after the last epoch).

        Args:
            var_list: list of model variables.
        """
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # ----- state --------------------------------------------------------------------
    def set_weights(self, weights):
        """Set the optimizer's variables from a list of arrays (in `variables` order)."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet "
                "been built. Please call `optimizer.build(trainable_variables)` to "
                "create the optimizer weights before calling `set_weights()`.")
        for variable, weight in zip(self._variables, weights):
            weight = np.asarray(weight)
            if tuple(variable.shape) != tuple(weight.shape):
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape "
                    f"{tuple(variable.shape)} not compatible with provided weight "
                    f"shape {tuple(weight.shape)}.")
            variable.assign(weight)

    def save_own_variables(self, store):
        """Write the optimizer's state into `store` (keys "0", "1", ...)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = np.array(variable.numpy())  # a snapshot: updates run in place

    def load_own_variables(self, store):
        """Set the optimizer's state from `store` (as written by `save_own_variables`)."""
        if len(store.keys()) != len(self.variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because "
                   f"it has {len(self.variables)} variables whereas the saved "
                   f"optimizer has {len(store.keys())} variables. ")
            if len(self.variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(np.asarray(store[str(i)]))

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """Apply `grads` to given values without changing any Variable.

        Args:
            optimizer_variables: arrays for `self.variables`, in order.
            grads: gradients for the variables the optimizer was built with.
            trainable_variables: arrays for those variables.

        Returns:
            A tuple `(trainable_variables, optimizer_variables)` of new arrays.
        """
        self._check_super_called()
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {self.__class__.__name__} must be "
                "built (i.e. its variables must have been created). You can build "
                "it via `optimizer.build(trainable_variables)`.")
        own = self.variables
        if len(optimizer_variables) != len(own):
            raise ValueError(
                "Argument `optimizer_variables` must be a list of tensors "
                f"corresponding 1:1 to {self.__class__.__name__}().variables. "
                f"Received list with length {len(optimizer_variables)}, but "
                f"expected {len(own)} variables.")
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                "Argument `trainable_variables` must be a list of tensors "
                "corresponding 1:1 to the trainable variables list that the "
                "optimizer was built with. Received "
                f"len(trainable_variables) == {len(trainable_variables)} whereas "
                f"the optimizer was built with {len(self._trainable_variables)} "
                "variables.")
        targets = list(self._trainable_variables) + own
        saved = [v._value for v in targets]
        try:
            for v, new in zip(targets, list(trainable_variables) + list(optimizer_variables)):
                v._value = np.array(_plain(new), dtype=v._value.dtype)
            self.apply(grads)
            new_trainable = [v._value for v in self._trainable_variables]
            new_optimizer = [v._value for v in own]
        finally:
            for v, old in zip(targets, saved):
                v._value = old
        return new_trainable, new_optimizer

    def scale_loss(self, loss):
        """Scale the loss by `loss_scale_factor` before computing gradients."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # ----- config -----------------------------------------------------------------
    def get_config(self):
        """Returns the config of the optimizer (a JSON-serializable dict).

        Subclasses add their own hyperparameters.
        """
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(lr)
        elif isinstance(lr, Variable):
            learning_rate = float(lr._value)
        elif callable(lr):
            # Keras serializes the function's bytecode; a number is portable.
            learning_rate = float(np.asarray(_plain(lr())))
        else:
            learning_rate = 0.5
        config = {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self._legacy_decay:
            config["decay"] = self._legacy_decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from its config (the output of `get_config`).

        Args:
            config: A Python dictionary, typically the output of get_config.
            custom_objects: A Python dictionary mapping names to additional
                user-defined Python objects needed to recreate this optimizer.

        Returns:
            An optimizer instance.
        """
        config = dict(config)
        # Keys of Keras 2.11+ optimizer configs (legacy .h5 files) that mean nothing here.
        for key in ("is_legacy_optimizer", "jit_compile"):
            config.pop(key, None)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}, built={self.built}>"


def global_norm(value_list):
    """Computes the global norm of multiple arrays (float32)."""
    total = None
    for v in value_list:
        if v is None:
            continue
        flat = v.reshape(-1)
        sq = np.dot(flat, flat)
        total = sq if total is None else total + sq
    return np.sqrt(total)


def clip_by_global_norm(value_list, clip_norm):
    """Scale the arrays so that their global norm is at most `clip_norm`.

    As Keras 3: `scale = clip_norm * min(1 / norm, 1 / clip_norm)` (NaN when the
    norm is not finite).
    """
    use_norm = global_norm(value_list)
    dtype = use_norm.dtype.type
    one = dtype(1)
    scale = dtype(clip_norm) * np.minimum(one / use_norm, one / dtype(clip_norm))
    scale = scale + (use_norm - use_norm)
    return [v * scale if v is not None else v for v in value_list]
