from starlette.routing import Route

from web.pages import auth

routes = [
    Route("/", auth.home),
    Route("/login", auth.login_form, methods=["GET"]),
    Route("/login", auth.login, methods=["POST"]),
    Route("/logout", auth.logout, methods=["POST"]),
]
