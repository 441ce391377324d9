"""The outbox: effects that must not be lost are rows written with the change that caused them."""

from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

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


# Retry backoff after a failed delivery: 5 s, 10 s, 20 s, … capped at an hour. The table keeps
# no time of the last attempt, so an event is due again at created_at + the sum of its delays.
RETRY_BASE_SECONDS = 5
RETRY_CAP_SECONDS = 3600
_LEVELS = 10  # attempts below this are filtered in SQL; rarer, older failures in Python


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed delivery."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** (attempts - 1), RETRY_CAP_SECONDS)) if attempts else timedelta()


def due_after(attempts: int) -> timedelta:
    """How long after its creation an event that failed `attempts` times is due again."""
    return sum((retry_delay(n) for n in range(1, attempts + 1)), timedelta())


def _due(at: datetime) -> Q:
    q = Q(attempts=0)
    for n in range(1, _LEVELS):
        q |= Q(attempts=n, created_at__lte=at - due_after(n))
    return q


def pending():
    """Events still to deliver: neither delivered nor set aside as dead."""
    return OutboxEvent.filter(processed_at__isnull=True, dead_at__isnull=True)


async def _due_ids(at: datetime, batch: int) -> list[int]:
    queue = pending()
    ids = list(await queue.filter(_due(at)).order_by("id").limit(batch).values_list("id", flat=True))
    if len(ids) < batch:
        stubborn = await queue.filter(attempts__gte=_LEVELS).order_by("id").limit(batch * 5).values(
            "id", "attempts", "created_at")
        ids += [r["id"] for r in stubborn if r["created_at"] + due_after(r["attempts"]) <= at][: batch - len(ids)]
    return sorted(ids)


async def drain(batch: int = 200, at: datetime | None = None) -> int:
    """Run the handlers of up to `batch` due events; return how many were delivered.

    An event whose handler raises stays pending: its handlers' writes are rolled back, its attempts
    counted, and it is tried again after a backoff while the other events go on. After
    OUTBOX_MAX_ATTEMPTS failures it is set aside as dead, with its last error, until someone
    puts it back (`crm outbox retry-dead`).
    """
    from server import config
    from tortoise.timezone import now
    from tortoise.transactions import in_transaction

    at = (at or now()).astimezone(UTC)  # SQLite compares stored UTC text
    processed = 0
    for event_id in await _due_ids(at, batch):
        async with in_transaction() as conn:
            query = OutboxEvent.filter(id=event_id, processed_at__isnull=True, dead_at__isnull=True)
            if conn.capabilities.dialect == "postgres":
                # Two workers draining at once each take different rows.
                query = query.select_for_update(skip_locked=True)
            event = await query.using_db(conn).first()
            if event is None:
                continue
            try:
                async with in_transaction():  # a savepoint: a failing handler leaves nothing behind
                    for handler in HANDLERS.get(event.topic, []):
                        await handler(event.payload)
            except Exception as exc:  # a failing handler must not block the queue; it is retried
                attempts = event.attempts + 1
                await OutboxEvent.filter(id=event.id).using_db(conn).update(
                    attempts=attempts, last_error=repr(exc)[:2000],
                    dead_at=now() if attempts >= config.settings.outbox_max_attempts else None,
                )
                continue
            await OutboxEvent.filter(id=event.id).using_db(conn).update(processed_at=now(), attempts=event.attempts + 1)
            processed += 1
    return processed


async def outbox_counts() -> dict[str, int]:
    """How many events are delivered, pending (of which retrying after a failure) and dead."""
    return {
        "delivered": await OutboxEvent.filter(processed_at__isnull=False).count(),
        "pending": await pending().count(),
        "retrying": await pending().filter(attempts__gt=0).count(),
        "dead": await OutboxEvent.filter(dead_at__isnull=False, processed_at__isnull=True).count(),
    }


async def dead_events(limit: int = 20) -> list[OutboxEvent]:
    return list(await OutboxEvent.filter(dead_at__isnull=False, processed_at__isnull=True).order_by("id").limit(limit))


async def retry_dead(topic: str | None = None, ids: list[int] | None = None) -> int:
    """Put dead events back in the queue with a fresh count of attempts; return how many.

    The last error stays for reference. The event is due again at once; as the backoff is
    measured from its creation, an event that still fails uses up its tries within a minute or so
    and is dead again, rather than waiting hours while the cause is being looked at.
    """
    query = OutboxEvent.filter(dead_at__isnull=False, processed_at__isnull=True)
    if topic:
        query = query.filter(topic=topic)
    if ids:
        query = query.filter(id__in=ids)
    return await query.update(dead_at=None, attempts=0)
