from starlette.routing import Route

from web.pages import (auth, customer_detail, customer_form, customer_list, duplicates, imports, interactions,
                       opportunities, pool, preferences, today)

routes = [
    Route("/", today.page),
    Route("/login", auth.login_form, methods=["GET"]),
    Route("/login", auth.login, methods=["POST"]),
    Route("/logout", auth.logout, methods=["POST"]),
    Route("/language", preferences.set_language, methods=["POST"]),
    Route("/tasks/{id}/complete", today.complete_task, methods=["POST"]),
    Route("/customers", customer_list.page),
    # Fixed paths before /customers/{id}, which would otherwise take "new" for an id.
    Route("/customers/new", customer_form.new_form, methods=["GET"]),
    Route("/customers/new", customer_form.create, methods=["POST"]),
    Route("/customers/phone-check", customer_form.phone_check),
    Route("/customers/{id}", customer_detail.page),
    Route("/customers/{id}/phone", customer_detail.reveal_phone, methods=["POST"]),
    Route("/customers/{id}/edit", customer_form.edit_form, methods=["GET"]),
    Route("/customers/{id}/edit", customer_form.update, methods=["POST"]),
    Route("/customers/{id}/interactions", interactions.log, methods=["POST"]),
    Route("/customers/{id}/claim", customer_detail.claim, methods=["POST"]),
    Route("/customers/{id}/opportunities", opportunities.create, methods=["POST"]),
    Route("/customers/{id}/interactions/{interaction_id}", interactions.show),
    Route("/pool", pool.page, methods=["GET"]),
    Route("/pool/claim", pool.claim_selected, methods=["POST"]),
    Route("/opportunities/{id}", opportunities.page, methods=["GET"]),
    Route("/opportunities/{id}/stage", opportunities.move, methods=["POST"]),
    Route("/opportunities/{id}/close", opportunities.close, methods=["POST"]),
    Route("/imports", imports.page, methods=["GET"]),
    Route("/imports", imports.upload, methods=["POST"]),
    Route("/imports/{id}", imports.progress),
    Route("/imports/{id}/report.csv", imports.report),
    Route("/duplicates", duplicates.queue),
    Route("/duplicates/{id}", duplicates.pair_page, methods=["GET"]),
    Route("/duplicates/{id}", duplicates.resolve, methods=["POST"]),
]
