"""Putting the demo world together, in memory: no database is touched here."""

import random

from server.demo.activity import ActivityBuilder
from server.demo.campaigns import build_campaigns
from server.demo.catalog import build_catalog
from server.demo.clock import Clock
from server.demo.customers import build_customers
from server.demo.identifiers import VinBook
from server.demo.sales import PipelineBuilder, build_close_reasons
from server.demo.showroom import ShowroomBuilder
from server.demo.staff import build_staff
from server.demo.tags import build_tags
from server.demo.talking_points import build_talking_points
from server.demo.tasks import TaskBuilder
from server.demo.vehicles import FleetBuilder
from server.demo.world import World

DEMO_SEED = "chexiao-demo-1"


def build_world(clock: Clock, seed: str = DEMO_SEED) -> World:
    # One generator per concern: changing how tasks are drawn leaves the customers as they were.
    def rng(concern: str) -> random.Random:
        return random.Random(f"{seed}:{concern}")

    world = World()
    staff = build_staff(world, clock, rng("staff"))
    models = build_catalog(world)
    reasons = build_close_reasons(world)
    campaigns = build_campaigns(world, clock)
    personas = build_customers(world, clock, staff, campaigns, seed)
    # Order matters: cars follow won deals, interactions follow deals and cars, tasks and tags
    # follow interactions.
    PipelineBuilder(world, clock, rng("sales"), reasons, models).build(personas)
    FleetBuilder(world, clock, rng("vehicles"), VinBook(rng("vins")), models).build(personas)
    ActivityBuilder(world, clock, rng("activity"), staff).build(personas)
    ShowroomBuilder(world, clock, rng("showroom"), staff, models).build(personas)
    TaskBuilder(world, clock, rng("tasks"), staff).build(personas)
    build_tags(world, clock, rng("tags"), personas)
    build_talking_points(world)
    return world
