"""The outbox: effects that must not be lost are rows written with the change that caused them."""

from server.events.models import OutboxEvent


async def emit(topic: str, payload: dict, *, dedup_key: str | None = None) -> None:
    """Queue an event; call inside the transaction of the change it describes."""
    if dedup_key and await OutboxEvent.filter(dedup_key=dedup_key).exists():
        return
    await OutboxEvent.create(topic=topic, payload=payload, dedup_key=dedup_key)


# topic → async handler(payload). Domains register here what an event sets off;
# every handler must be idempotent, because delivery is at least once.
HANDLERS: dict[str, list] = {}


def on(topic: str):
    def register(handler):
        HANDLERS.setdefault(topic, []).append(handler)
        return handler

    return register


async def drain(batch: int = 200) -> int:
    """Run the handlers of up to `batch` pending events; return how many were processed."""
    from tortoise.timezone import now
    from tortoise.transactions import in_transaction

    processed = 0
    pending = await OutboxEvent.filter(processed_at__isnull=True).order_by("id").limit(batch).values_list("id", flat=True)
    for event_id in pending:
        async with in_transaction() as conn:
            query = OutboxEvent.filter(id=event_id, processed_at__isnull=True)
            if conn.capabilities.dialect == "postgres":
                # Two workers draining at once each take different rows.
                query = query.select_for_update(skip_locked=True)
            event = await query.using_db(conn).first()
            if event is None:
                continue
            try:
                for handler in HANDLERS.get(event.topic, []):
                    await handler(event.payload)
            except Exception as exc:  # a failing handler must not block the queue; it is retried
                await OutboxEvent.filter(id=event.id).using_db(conn).update(
                    attempts=event.attempts + 1, last_error=repr(exc)[:2000]
                )
                continue
            await OutboxEvent.filter(id=event.id).using_db(conn).update(processed_at=now(), attempts=event.attempts + 1)
            processed += 1
    return processed
