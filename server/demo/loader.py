"""Loading the demo dealership into the database Tortoise is connected to."""

import time
from dataclasses import asdict, dataclass

from tortoise.transactions import in_transaction

from server.activity.models import Interaction, Task
from server.auth.models import Team, User
from server.customers.models import Contact, Customer, ServiceRecord, Vehicle
from server.demo.clock import Clock
from server.demo.generator import DEMO_SEED, build_world
from server.demo.writer import clear_database, write_world
from server.portrait.models import CustomerTag, Tag
from server.sales.models import (
    Campaign,
    CloseReason,
    Objection,
    Opportunity,
    Quote,
    ShowroomVisit,
    TestDrive,
    VehicleModel,
)


@dataclass(frozen=True)
class DemoSummary:
    """Rows in the database after the call; `already_loaded` when nothing was written."""

    already_loaded: bool
    seconds: float
    teams: int
    users: int
    vehicle_models: int
    customers: int
    pool_customers: int
    contacts: int
    vehicles: int
    service_records: int
    interactions: int
    opportunities: int
    quotes: int
    test_drives: int
    objections: int
    close_reasons: int
    campaigns: int
    tags: int
    customer_tags: int
    tasks: int
    showroom_visits: int

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k not in ("already_loaded", "seconds")}


async def has_data() -> bool:
    """Whether anyone (the demo or real use) has put staff or customers in the database."""
    return await User.all().exists() or await Customer.all().exists()


async def load_demo(reset: bool = False, *, seed: str = DEMO_SEED) -> DemoSummary:
    """Fill the database with the demo dealership.

    Without `reset`, a database that already holds staff or customers is left alone (the demo
    is never mixed into real data, nor loaded twice). With `reset`, every row of every model is
    deleted first. All of it happens in one transaction: a failed load leaves nothing behind.
    """
    started = time.perf_counter()
    if not reset and await has_data():
        return await _summary(already_loaded=True, started=started)
    world = build_world(Clock.for_today(), seed)
    async with in_transaction() as conn:
        if reset:
            await clear_database(conn)
        await write_world(world)
    await _settle()
    return await _summary(already_loaded=False, started=started)


async def _settle() -> None:
    """Run the scheduled passes once, as the workers would within the hour.

    The history is generated without the dealership's policy in mind: left alone, the first
    pool pass after start would sweep hundreds of quiet customers into the pool while a
    newcomer is looking. Settled now, the demo opens in the state the policy keeps.
    """
    from server.portrait.services import refresh_portrait
    from server.rules.engine import run_scheduled
    from server.sales.pool import run_pool_pass

    await run_pool_pass()
    await run_scheduled()
    await refresh_portrait()


async def _summary(*, already_loaded: bool, started: float) -> DemoSummary:
    counts = {
        "teams": Team, "users": User, "vehicle_models": VehicleModel, "customers": Customer, "contacts": Contact,
        "vehicles": Vehicle, "service_records": ServiceRecord, "interactions": Interaction,
        "opportunities": Opportunity, "quotes": Quote, "test_drives": TestDrive, "objections": Objection,
        "close_reasons": CloseReason, "campaigns": Campaign, "tags": Tag, "customer_tags": CustomerTag, "tasks": Task,
        "showroom_visits": ShowroomVisit,
    }
    values = {name: await model.all().count() for name, model in counts.items()}
    values["pool_customers"] = await Customer.filter(owner_id__isnull=True).count()
    return DemoSummary(already_loaded=already_loaded, seconds=round(time.perf_counter() - started, 2), **values)
