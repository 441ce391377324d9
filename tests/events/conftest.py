import pytest

from server.events.services import HANDLERS, on


@pytest.fixture
def handler():
    """Register outbox handlers for one test only."""
    added = []

    def add(topic: str, fn):
        on(topic)(fn)
        added.append((topic, fn))
        return fn

    yield add
    for topic, fn in added:
        HANDLERS[topic].remove(fn)
