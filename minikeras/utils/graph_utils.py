"""`get_source_inputs`: the `keras.Input` tensors a symbolic tensor comes from."""
from minikeras.models.node import flatten


def get_source_inputs(tensor):
    """Returns the list of input tensors necessary to compute `tensor`.

    Output will always be a list of tensors (potentially with 1 element).

    Example:

    ```python
    a = keras.Input((3,))
    b = keras.layers.Dense(2)(a)
    keras.utils.get_source_inputs(b)   # [a]
    ```

    Args:
        tensor: The tensor to start from (a KerasTensor made by layer calls).

    Returns:
        List of input tensors.
    """
    if not hasattr(tensor, "_keras_history"):
        return tensor
    history = tensor._keras_history
    if history is None:
        return [tensor]
    layer, node_index, _ = history
    if not layer or not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if node.is_input:
        # An Input: the recursion stops here.
        return flatten(node.output_tensors)
    sources = []
    for t in node.input_tensors:
        for s in get_source_inputs(t):
            if all(s is not known for known in sources):
                sources.append(s)
    return sources
