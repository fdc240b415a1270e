"""keras.datasets: loaders for the standard datasets, plus `digits` shipped offline."""
from minikeras.datasets import (  # noqa: F401
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    digits,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)
