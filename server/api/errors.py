"""User errors in payloads: problems the caller can fix, never exceptions."""

import re

import strawberry

from server.errors import ErrorCode as ErrorCodeEnum
from server.errors import UserError as DomainUserError
from server.errors import UserErrors

ErrorCode = strawberry.enum(ErrorCodeEnum, description="What kind of problem a user error is.")


@strawberry.type(description="A problem with the input that the caller can fix.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, in camelCase, if any.")
    code: ErrorCode = strawberry.field(description="A stable code for the kind of problem.")
    message: str = strawberry.field(description="What is wrong, in plain words.")


def _camel(name: str | None) -> str | None:
    if not name:
        return name
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def to_user_errors(exc: Exception) -> list[UserError]:
    problems = exc.errors if isinstance(exc, UserErrors) else [exc]
    return [UserError(field=_camel(p.field), code=p.code, message=p.message) for p in problems]


USER_ERRORS = (DomainUserError, UserErrors)
