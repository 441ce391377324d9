"""Problems a user can fix, raised by services and shown as `errors { field code message }`."""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    DUPLICATE = "DUPLICATE"
    FORBIDDEN = "FORBIDDEN"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    THROTTLED = "THROTTLED"


class UserError(Exception):
    def __init__(self, code: ErrorCode, message: str, field: str | None = None, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra


class UserErrors(Exception):
    """Several problems found at once (every bad field of a form, not just the first)."""

    def __init__(self, errors: list[UserError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors
