"""报价 on the deal page: the 新建报价 form (items, discount, optional financing) and its 添加一项 rows.

Every button of the form posts here; the HTMX swap gets the quotes section, a plain post the page
(or, once saved, a redirect to it). The monthly payment is the API's, shown as it returns it.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web import quote_form
from web.access import is_htmx, staff_page
from web.form_errors import message
from web.operations import current_viewer, run
from web.pages.opportunities import catalog_of, load, render_page
from web.templating import gettext_for, not_found


@staff_page
async def create(request: Request):
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    gettext = gettext_for(request)
    catalog = catalog_of(data)
    form = await request.form()
    state = quote_form.read_form(form)
    button = str(form.get("op", "save"))
    block = "quotes" if is_htmx(request) else None
    if button == "add_item":
        if len(state["items"]) < quote_form.MAX_ITEMS:
            state["items"].append(quote_form.empty_item())
        return render_page(request, viewer, data, block=block, quote=state)
    if button.startswith("remove_item_"):
        index = button.removeprefix("remove_item_")
        if index.isdigit() and int(index) < len(state["items"]) and len(state["items"]) > 1:
            state["items"].pop(int(index))
        return render_page(request, viewer, data, block=block, quote=state)
    quote_form.prefill_prices(state, catalog)
    if button == "refresh":  # a model was chosen: its guide price fills the row
        return render_page(request, viewer, data, block=block, quote=state)

    variables = quote_form.quote_input(state, o["id"], catalog, gettext)
    if variables is not None:
        payload = (await run(request, "CreateQuote", input=variables))["createQuote"]
        if not payload["errors"]:
            if not is_htmx(request):
                return RedirectResponse(f"/opportunities/{o['id']}?quoted=1#quotes", status_code=303)
            return render_page(request, viewer, await load(request), block=block, quote_saved=True)
        quote_form.place_errors(state, payload["errors"], gettext, message)
    return render_page(request, viewer, data, block=block, status_code=422, quote=state)
