import strawberry
from strawberry.types import Info

from server.api.enums import Role
from server.api.relay import Node, to_global_id
from server.auth.models import Team as TeamModel
from server.auth.models import User as UserModel


@strawberry.type(description="A sales team (销售团队).")
class Team(Node):
    name: str = strawberry.field(description="The team's name.")

    @classmethod
    def from_model(cls, team: TeamModel) -> "Team":
        return cls(id=to_global_id("Team", team.id), name=team.name)


@strawberry.type(description="A staff member (员工).")
class User(Node):
    username: str = strawberry.field(description="The sign-in name.")
    display_name: str = strawberry.field(description="The name shown to colleagues and customers.")
    role: Role = strawberry.field(description="What this person may do.")
    locale: str = strawberry.field(description="The interface language, e.g. zh_CN or en.")
    timezone: str = strawberry.field(description="The time zone times are shown in.")
    team_pk: strawberry.Private[int | None]

    @strawberry.field(description="The team this person belongs to.")
    async def team(self, info: Info) -> Team | None:
        if self.team_pk is None:
            return None
        team = await info.context.loaders.team.load(self.team_pk)
        return Team.from_model(team) if team else None

    @classmethod
    def from_model(cls, user: UserModel) -> "User":
        return cls(
            id=to_global_id("User", user.id),
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            locale=user.locale,
            timezone=user.timezone,
            team_pk=user.team_id,
        )
