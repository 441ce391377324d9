import strawberry
from strawberry.types import Info

from server.api.auth.types import Team, User
from server.api.enums import Role
from server.api.permissions import CanRead
from server.api.relay import decode_id
from server.auth.models import Team as TeamModel
from server.auth.models import User as UserModel
from server.auth.scope import colleague_q


@strawberry.type
class AuthQuery:
    @strawberry.field(description="The signed-in staff member; null for API tokens and anonymous callers.")
    async def viewer(self, info: Info) -> User | None:
        principal = info.context.principal
        if principal is None or principal.user_id is None:
            return None
        user = await info.context.loaders.user.load(principal.user_id)
        return User.from_model(user) if user else None

    @strawberry.field(description="Active staff the viewer may pick as an owner or filter by: a manager's team, everyone for admins, oneself for consultants; by name.",
                      permission_classes=[CanRead])
    async def colleagues(self, info: Info, role: list[Role] | None = None,
                         team_id: strawberry.ID | None = None) -> list[User]:
        query = UserModel.filter(colleague_q(info.context.principal), is_active=True)
        if role:
            query = query.filter(role__in=[r.value for r in role])
        if team_id:
            query = query.filter(team_id=decode_id(team_id, "Team", "teamId"))
        return [User.from_model(u) for u in await query.order_by("display_name", "id").limit(500)]

    @strawberry.field(description="The teams the viewer may route leads to: every team for admins, one's own for staff.",
                      permission_classes=[CanRead])
    async def teams(self, info: Info) -> list[Team]:
        principal = info.context.principal
        query = TeamModel.all()
        if not (principal.is_admin or (principal.is_token and principal.team_id is None)):
            query = query.filter(id=principal.team_id) if principal.team_id is not None else query.filter(id__isnull=True)
        return [Team.from_model(t) for t in await query.order_by("name")]
