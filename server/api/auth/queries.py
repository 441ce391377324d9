import strawberry
from strawberry.types import Info

from server.api.auth.types import User
from server.auth.models import User as UserModel


@strawberry.type
class AuthQuery:
    @strawberry.field(description="The signed-in staff member; null for API tokens and anonymous callers.")
    async def viewer(self, info: Info) -> User | None:
        principal = info.context.principal
        if principal is None or principal.user_id is None:
            return None
        user = await info.context.loaders.user.load(principal.user_id)
        return User.from_model(user) if user else None
