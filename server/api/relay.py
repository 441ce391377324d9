"""Relay conventions: opaque global ids, the Node interface, cursor connections."""

import base64
from typing import Awaitable, Callable, Generic, TypeVar

import strawberry

from server.errors import ErrorCode, UserError

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, int]:
    """('Customer', 12) from an opaque id; raise UserError(INVALID) for anything else."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        return type_name, int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(ErrorCode.INVALID, f"not a valid id: {global_id!r}", "id") from exc


def decode_id(global_id: str, expected: str, field: str = "id") -> int:
    type_name, pk = from_global_id(global_id)
    if type_name != expected:
        raise UserError(ErrorCode.INVALID, f"expected a {expected} id", field)
    return pk


def decode_ids(global_ids: list[str], expected: str, field: str) -> list[int]:
    return [decode_id(g, expected, field) for g in global_ids]


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID = strawberry.field(description="The opaque global id of the object.")


@strawberry.type(description="Where a page of a connection stands.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last item; pass it as `after`.")


@strawberry.type(description="One item of a connection and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="The position of this item; pass it as `after`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of items with cursors and the total count.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    _queryset: strawberry.Private[object]

    @strawberry.field(description="How many items match in all, over every page.")
    async def total_count(self) -> int:
        return await self._queryset.count()


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, _, value = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        if kind != "o":
            raise ValueError
        return int(value) + 1
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(ErrorCode.INVALID, "not a valid cursor", "after") from exc


async def paginate(
    queryset,
    first: int | None,
    after: str | None,
    make_node: Callable[[object], T] | Callable[[list], Awaitable[list[T]]],
) -> Connection[T]:
    """One page of an ordered queryset; fetches one row more to know whether a next page exists."""
    size = DEFAULT_PAGE if first is None else first
    if size < 0 or size > MAX_PAGE:
        raise UserError(ErrorCode.INVALID, f"first must be between 0 and {MAX_PAGE}", "first")
    start = _offset(after) if after else 0
    rows = list(await queryset.offset(start).limit(size + 1)) if size else []
    has_next = len(rows) > size
    rows = rows[:size]
    edges = [Edge(cursor=_cursor(start + i), node=make_node(row)) for i, row in enumerate(rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _queryset=queryset,
    )
