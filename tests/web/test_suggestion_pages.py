"""建议 on the customer page: a logged note's facts offered with one-tap 采纳 and 忽略, with and without JS."""

from server.customers.models import Customer
from server.portrait import suggestions
from server.portrait.models import CustomerTag
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.world import PASSWORD, gid


async def _log(client, customer: str, token: str, summary: str):
    return await client.post(f"/customers/{customer}/interactions", headers={**HTMX, "X-CSRF-Token": token},
                             data={"kind": "CALL", "summary": summary})


async def test_a_logged_note_offers_its_facts_and_one_tap_accepts_a_tag_without_js(client, world):
    suggestions.forget_catalog()
    await sign_in(client, "alice", PASSWORD)
    customer, token = gid("Customer", world.alices_customer), await session_csrf(client)
    logged = await _log(client, customer, token, "客户想要SUV，不要白色，预算20-30万")
    assert 'id="suggestions"' in logged.text and "意向:SUV" in logged.text  # shown right after logging
    page = (await client.get(f"/customers/{customer}")).text
    assert "建议" in page and "意向:SUV" in page and "预算:20-30万" in page and "颜色:白色" not in page
    version = (await Customer.get(id=world.alices_customer.id)).version
    accepted = await client.post(f"/customers/{customer}/suggestions/accept", headers={"X-CSRF-Token": token},
                                 data={"key": "body:SUV", "version": str(version)}, follow_redirects=False)
    assert accepted.status_code == 303
    page = (await client.get(f"/customers/{customer}")).text
    assert "意向:SUV</span>" in page.split('id="suggestions"')[0]  # a tag on the profile now
    assert "意向:SUV" not in page.split('id="suggestions"')[1].split("</section>")[0]
    assert await CustomerTag.filter(customer_id=world.alices_customer.id, source="EXTRACTOR").count() == 1


async def test_htmx_accepting_a_budget_swaps_the_list_and_the_profile_and_dismiss_hides_one(client, world):
    suggestions.forget_catalog()
    await sign_in(client, "alice", PASSWORD)
    customer, token = gid("Customer", world.alices_customer), await session_csrf(client)
    await _log(client, customer, token, "预算二十五万左右，分期")
    version = (await Customer.get(id=world.alices_customer.id)).version
    swapped = await client.post(f"/customers/{customer}/suggestions/accept", headers={**HTMX, "X-CSRF-Token": token},
                                data={"key": "budget:250000-250000", "version": str(version)})
    assert swapped.status_code == 200
    assert 'id="suggestions"' in swapped.text and 'id="portrait"' in swapped.text
    assert "预算:25万</span>" in swapped.text.split('id="portrait"')[1]  # now a tag in the profile
    assert (await Customer.get(id=world.alices_customer.id)).budget_min == 250000
    dismissed = await client.post(f"/customers/{customer}/suggestions/dismiss", headers={**HTMX, "X-CSRF-Token": token},
                                  data={"key": "financing:LOAN"})
    assert "贷款意向" not in dismissed.text


async def test_a_stale_page_gets_a_conflict_message_and_nothing_changes(client, world):
    suggestions.forget_catalog()
    await sign_in(client, "alice", PASSWORD)
    customer, token = gid("Customer", world.alices_customer), await session_csrf(client)
    await _log(client, customer, token, "预算25万")
    stale = await client.post(f"/customers/{customer}/suggestions/accept", headers={**HTMX, "X-CSRF-Token": token},
                              data={"key": "budget:250000-250000", "version": "99"})
    assert stale.status_code == 422 and 'role="alert"' in stale.text
    assert (await Customer.get(id=world.alices_customer.id)).budget_min is None
