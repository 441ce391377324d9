"""Rows for the dealership's teams and staff accounts."""

import random
from dataclasses import dataclass, field

from server.auth.models import Team, User
from server.auth.passwords import hash_password
from server.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DISPLAY_NAMES, TEAM_NAMES
from server.demo.clock import Clock
from server.demo.world import World
from server.enums import Role


@dataclass
class Staff:
    teams: dict[str, Team] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    team_of: dict[str, Team] = field(default_factory=dict)  # username -> team
    consultants: list[User] = field(default_factory=list)
    # How many customers each consultant gets relative to the others: top sellers hold more.
    consultant_weights: list[float] = field(default_factory=list)
    manager_of: dict[str, User] = field(default_factory=dict)  # team name -> manager

    def team(self, user: User | None) -> Team | None:
        return self.team_of.get(user.username) if user else None

    def pick_consultant(self, rng: random.Random) -> User:
        return rng.choices(self.consultants, weights=self.consultant_weights)[0]


def build_staff(world: World, clock: Clock, rng: random.Random) -> Staff:
    staff = Staff()
    for name in TEAM_NAMES:
        staff.teams[name] = world.add(Team(name=name, created_at=clock.at(clock.day(720), 9)))
    # Every demo account shares one published password, so one argon2 hash (tens of ms) serves all.
    password_hash = hash_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        team = staff.teams[account.team] if account.team else None
        user = User(
            username=account.username,
            display_name=DISPLAY_NAMES[account.username],
            password_hash=password_hash,
            role=account.role,
            lead_capacity=rng.choice((40, 50, 50, 60)),
            created_at=clock.at(clock.day(rng.randint(560, 720)), 10),
        )
        world.add(user, team=team)
        staff.users[account.username] = user
        if team is not None:
            staff.team_of[account.username] = team
        if account.role is Role.CONSULTANT:
            staff.consultants.append(user)
            staff.consultant_weights.append(rng.uniform(0.7, 1.4))
        elif account.role is Role.MANAGER:
            staff.manager_of[account.team] = user
    return staff
