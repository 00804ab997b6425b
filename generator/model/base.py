"""Shared model base: frozen, strict about unknown keys, docstrings become descriptions."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

YES_NO = {"是": True, "否": False}
"""What a Chinese team writes for true and false; YAML itself only knows true/false."""


def yes_no(value: Any) -> Any:
    """是/否 as True/False; anything else unchanged."""
    return YES_NO.get(value.strip(), value) if isinstance(value, str) else value


Flag = Annotated[bool, BeforeValidator(yes_no)]
"""A yes/no field: true/false, or 是/否 (as the error for a wrong value says)."""


class Model(BaseModel):
    """Base of every model read from YAML."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        populate_by_name=True,
        allow_inf_nan=False,  # .inf and .nan are YAML floats, never a weight, bound or point value
    )
