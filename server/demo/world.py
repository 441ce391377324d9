"""The demo data as an in-memory graph of unsaved rows, written to the database afterwards.

Rows refer to their parents as objects (`world.add(interaction, customer=customer)`), because
their ids exist only once the parents are inserted; the loader fills in the `<field>_id`
columns then.
"""

from collections import defaultdict
from typing import TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


class World:
    def __init__(self) -> None:
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        # child row -> [(foreign key field, parent row)]
        self.parents: dict[int, list[tuple[str, Model]]] = {}

    def add(self, row: M, **parents: Model | None) -> M:
        self.rows[type(row)].append(row)
        links = [(field, parent) for field, parent in parents.items() if parent is not None]
        if links:
            self.parents[id(row)] = links
        return row

    def set_parent(self, row: Model, field: str, parent: Model) -> None:
        """Point a row already added at another parent (e.g. a contact's manager)."""
        self.parents.setdefault(id(row), []).append((field, parent))

    def links(self, row: Model) -> list[tuple[str, Model]]:
        return self.parents.get(id(row), [])

    def count(self, model: type[Model]) -> int:
        return len(self.rows[model])
