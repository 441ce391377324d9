"""Run the named GraphQL operations in graphql/operations/ in process, as the signed-in user.

Pages are clients of the one schema: whatever the schema refuses, a page cannot show.
"""

from functools import lru_cache
from pathlib import Path

from starlette.requests import Request

from server.api.context import Context
from server.api.schema import schema
from server.errors import UserError

# graphql/ is read by path: it is not a Python package (it would shadow graphql-core).
OPERATIONS_DIR = Path(__file__).resolve().parent.parent / "graphql" / "operations"


class OperationFailed(Exception):
    """The schema answered with errors: a bug in a page or an operation, not a user's mistake."""

    def __init__(self, name: str, errors: list):
        super().__init__(f"{name}: " + "; ".join(e.message for e in errors))
        self.errors = errors

    @property
    def bad_input(self) -> bool:
        """Whether every error is an argument the API refused, e.g. a malformed id in a URL."""
        return all(isinstance(getattr(e, "original_error", None), UserError) for e in self.errors)


@lru_cache(maxsize=None)
def document(name: str) -> str:
    path = OPERATIONS_DIR / f"{name}.graphql"
    return path.read_text(encoding="utf-8")


async def run(request: Request, name: str, **variables) -> dict:
    """Execute operation `name` with `variables`; return its data or raise OperationFailed."""
    result = await schema.execute(
        document(name),
        variable_values=variables or None,
        context_value=Context(principal=request.state.principal, request=request),
        operation_name=name,
    )
    if result.errors:
        raise OperationFailed(name, result.errors)
    return result.data


async def run_lookup(request: Request, name: str, **variables) -> dict | None:
    """Like run, but an argument the API refuses (a mangled id in a URL) is None, not a bug."""
    try:
        return await run(request, name, **variables)
    except OperationFailed as exc:
        if exc.bad_input:
            return None
        raise


def payload_errors(payload: dict) -> dict[str | None, list[dict]]:
    """A mutation payload's user errors grouped by input field (None: about the whole form)."""
    grouped: dict[str | None, list[dict]] = {}
    for error in payload.get("errors") or []:
        grouped.setdefault(error.get("field"), []).append(error)
    return grouped


async def current_viewer(request: Request) -> dict:
    """The signed-in staff member (name, language, time zone), read once per request."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is None:
        viewer = (await run(request, "Viewer"))["viewer"]
        request.state.viewer = viewer
    return viewer
