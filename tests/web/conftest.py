import httpx
import pytest

from server.app import create_app


@pytest.fixture
async def client(db):
    app = create_app(manage_db=False, embedded_worker=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def csrf_from(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


async def sign_in(client, username: str, password: str):
    page = await client.get("/login")
    return await client.post("/login", data={"username": username, "password": password,
                                             "csrf_token": csrf_from(page.text), "next": "/"})


async def session_csrf(client) -> str:
    """The signed-in session's CSRF token, as the pages put it in <meta name="csrf-token">."""
    page = await client.get("/customers/new")
    return page.text.split('name="csrf-token" content="')[1].split('"')[0]


HTMX = {"HX-Request": "true"}
