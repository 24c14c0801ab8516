"""Configs refuse out-of-range values by field name and survive a round trip through JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from latentgan.config import ModelConfig, TrainConfig, config_from_dict
from latentgan.errors import ConfigError


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (ModelConfig(arch="stylegan"), "arch"),
        (ModelConfig(image_size=30), "image_size"),
        (ModelConfig(channels=2), "channels"),
        (ModelConfig(latent_dim=0), "latent_dim"),
        (ModelConfig(base_convs=9), "base_convs"),
        (TrainConfig(loss="bce"), "loss"),  # type: ignore[arg-type]
        (TrainConfig(steps=5, epochs=1.0), "steps"),
        (TrainConfig(epochs=0.0), "epochs"),
        (TrainConfig(batch_size=1), "batch_size"),
        (TrainConfig(lr_d=0.0), "lr_d"),
        (TrainConfig(ema_decay=1.0), "ema_decay"),
        (TrainConfig(vdb_ic=-1.0), "vdb_ic"),
        (TrainConfig(seed=-1), "seed"),
    ],
)
def test_out_of_range_values_name_their_field(
    config: ModelConfig | TrainConfig, field: str
) -> None:
    with pytest.raises(ConfigError) as bad:
        config.validate()
    assert bad.value.field == field


def test_configs_round_trip_through_json_and_ignore_unknown_keys() -> None:
    model = ModelConfig(num_classes=10, spectral_norm=True, vdb_dim=16)
    train = TrainConfig(loss="hinge", steps=10, rotation_weight_d=1.0)
    stored_model = json.loads(json.dumps(asdict(model)))
    stored_train = json.loads(json.dumps(asdict(train)))
    assert config_from_dict(ModelConfig, {**stored_model, "from_the_future": 1}) == model
    assert config_from_dict(TrainConfig, {**stored_train, "from_the_future": 1}) == train
    assert model.conditional and not ModelConfig().conditional
