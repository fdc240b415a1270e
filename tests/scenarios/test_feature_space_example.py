"""keras.io "Structured data classification with FeatureSpace", on synthetic data.

The example's FeatureSpace (integer and string categories without OOV slots, a
discretized age, normalized numbers, two crosses), adapted on batches of dicts,
a training model on the encoded features and an inference model on the raw
inputs, prediction on one raw sample, and saving. Expected numbers marked
"Keras" were observed running the same code with real Keras 3 (there through
tf.data: `train_ds.map(lambda x, _: x)` for adapt and `.map(feature_space)` for
training; minikeras takes a generator of dict batches and arrays).
"""
import numpy as np

import minikeras as keras
from minikeras.utils import FeatureSpace

SAMPLE = {"age": 60, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1,
          "restecg": 2, "thalach": 150, "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0,
          "thal": "fixed"}


def _heart_table(n=160):
    rng = np.random.default_rng(0)
    table = {
        "age": rng.integers(29, 77, n), "sex": rng.integers(0, 2, n),
        "cp": rng.integers(0, 5, n), "trestbps": rng.normal(130, 15, n).round(),
        "chol": rng.normal(245, 45, n).round(), "fbs": rng.integers(0, 2, n),
        "restecg": rng.integers(0, 3, n), "thalach": rng.normal(150, 20, n).round(),
        "exang": rng.integers(0, 2, n), "oldpeak": rng.gamma(1.0, 1.0, n).round(1),
        "slope": rng.integers(1, 4, n), "ca": rng.integers(0, 4, n),
        "thal": rng.choice(["fixed", "normal", "reversible"], n),
    }
    target = (table["cp"] >= 2) | (table["thal"] == "reversible") | (table["ca"] >= 2)
    return table, target.astype("int64")


def _batches(table, size=32):
    """What `tf.data.Dataset.from_tensor_slices(dict(df)).batch(32)` yields."""
    n = len(next(iter(table.values())))
    for start in range(0, n, size):
        yield {name: column[start:start + size] for name, column in table.items()}


def _feature_space():
    def categorical():
        return FeatureSpace.integer_categorical(num_oov_indices=0)

    return FeatureSpace(
        features={
            "sex": categorical(), "cp": categorical(), "fbs": categorical(),
            "restecg": categorical(), "exang": categorical(), "ca": categorical(),
            "thal": FeatureSpace.string_categorical(num_oov_indices=0),
            "age": FeatureSpace.float_discretized(num_bins=30),
            "trestbps": FeatureSpace.float_normalized(),
            "chol": FeatureSpace.float_normalized(),
            "thalach": FeatureSpace.float_normalized(),
            "oldpeak": FeatureSpace.float_normalized(),
            "slope": FeatureSpace.float_normalized(),
        },
        crosses=[FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=64),
                 FeatureSpace.cross(feature_names=("thal", "ca"), crossing_dim=16)],
        output_mode="concat",
    )


def test_structured_data_classification_with_feature_space(tmp_path):
    keras.utils.set_random_seed(42)
    table, target = _heart_table()
    train = {name: column[:120] for name, column in table.items()}
    val = {name: column[120:] for name, column in table.items()}
    y_train, y_val = target[:120], target[120:]

    feature_space = _feature_space()
    feature_space.adapt(_batches(train))
    # Keras: one batch of 32 encodes to (32, 136) float32: one-hot widths 2+5+2+3+2+4+3,
    # 30 age bins, five normalized numbers, crosses of 64 and 16.
    preprocessed_x = feature_space(next(_batches(train)))
    assert preprocessed_x.shape == (32, 136) and preprocessed_x.dtype == np.float32
    assert feature_space.preprocessors["thal"].get_vocabulary() == ["fixed", "normal",
                                                                    "reversible"]

    dict_inputs = feature_space.get_inputs()
    encoded_features = feature_space.get_encoded_features()
    assert len(dict_inputs) == 13 and tuple(encoded_features.shape) == (None, 136)
    x = keras.layers.Dense(32, activation="relu")(encoded_features)
    x = keras.layers.Dropout(0.5)(x)
    predictions = keras.layers.Dense(1, activation="sigmoid")(x)
    training_model = keras.Model(inputs=encoded_features, outputs=predictions)
    training_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)
    # Keras: 4417 and 4432 parameters (five Normalization layers hold 3 values each),
    # 42 layers in the inference model.
    assert training_model.count_params() == 4417
    assert inference_model.count_params() == 4432
    assert len(inference_model.layers) == 42

    history = training_model.fit(feature_space(train), y_train, epochs=2, batch_size=32,
                                 validation_data=(feature_space(val), y_val), verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(np.isfinite(history.history["loss"]))

    # Inference on one raw sample: each value a one-element tensor.
    input_dict = {name: keras.ops.convert_to_tensor([value]) for name, value in SAMPLE.items()}
    probability = inference_model.predict(input_dict, verbose=0)
    assert probability.shape == (1, 1) and probability.dtype == np.float32
    assert 0.0 < probability[0, 0] < 1.0
    # The same number through the FeatureSpace and the training model.
    np.testing.assert_allclose(
        training_model.predict(feature_space(input_dict), verbose=0), probability, rtol=1e-6)
    # A dict of plain scalars encodes to one vector.
    assert feature_space(SAMPLE).shape == (136,)

    inference_model.save(tmp_path / "heart.keras")
    restored = keras.saving.load_model(tmp_path / "heart.keras")
    np.testing.assert_allclose(restored.predict(input_dict, verbose=0), probability, rtol=1e-6)
    feature_space.save(tmp_path / "feature_space.keras")
    reloaded = keras.saving.load_model(tmp_path / "feature_space.keras")
    np.testing.assert_allclose(reloaded(val), feature_space(val), rtol=1e-6)
