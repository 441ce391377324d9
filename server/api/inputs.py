"""Turning mutation inputs into the plain dicts services take."""

import re
from enum import Enum

import strawberry

from server.api.relay import decode_id


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def given_fields(input_obj, *, skip: tuple[str, ...] = (), ids: dict[str, str] | None = None) -> dict:
    """The fields the caller actually sent (UNSET ones left out), with global ids decoded.

    `ids` maps an input field to the type its global id must name, e.g. {"owner_id": "User"}.
    """
    ids = ids or {}
    values = {}
    for name in input_obj.__dataclass_fields__:
        if name in skip:
            continue
        value = getattr(input_obj, name)
        if value is strawberry.UNSET:
            continue
        if name in ids and value is not None:
            value = decode_id(value, ids[name], name)
        elif isinstance(value, Enum):
            value = value.value
        values[name] = value
    return values
