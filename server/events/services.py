"""The outbox: effects that must not be lost are rows written with the change that caused them."""

from server.events.models import OutboxEvent


async def emit(topic: str, payload: dict, *, dedup_key: str | None = None) -> None:
    """Queue an event; call inside the transaction of the change it describes."""
    if dedup_key and await OutboxEvent.filter(dedup_key=dedup_key).exists():
        return
    await OutboxEvent.create(topic=topic, payload=payload, dedup_key=dedup_key)
