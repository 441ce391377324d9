"""/graphql over HTTP: the same schema the pages run in process, with the caller's principal."""

from strawberry.asgi import GraphQL

from server.api.context import Context
from server.api.schema import schema


class GraphQLApp(GraphQL):
    async def get_context(self, request, response) -> Context:
        return Context(principal=request.state.principal, request=request)


def graphql_app() -> GraphQLApp:
    # No IDE: Strawberry's GraphiQL page loads scripts from a third-party host.
    # Multipart uploads (startImport) are safe here: a cookie-authenticated POST must carry the
    # CSRF header, which a cross-site form cannot send.
    return GraphQLApp(schema, graphql_ide=None, allow_queries_via_get=True, multipart_uploads_enabled=True)
