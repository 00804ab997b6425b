"""Shared model base: frozen, strict about unknown keys, docstrings become descriptions."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base of every model read from YAML."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        populate_by_name=True,
        allow_inf_nan=False,  # .inf and .nan are YAML floats, never a weight, bound or point value
    )
