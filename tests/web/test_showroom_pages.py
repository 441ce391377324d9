"""展厅客流 page: logging a walk-in in a few taps, today's list and totals, one-tap 离店."""

from datetime import timedelta

from tortoise.timezone import now

from server.customers.models import Customer
from server.sales.models import ShowroomVisit, VehicleModel
from server.sales.showroom import record_walk_in
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid


def totals(html: str) -> list[str]:
    block = html.split('id="showroom-totals"')[1].split("</ul>")[0]
    return [part.split("</strong>")[0] for part in block.split("<strong>")[1:]]


async def test_the_page_offers_the_form_and_reads_without_javascript(client, world):
    await VehicleModel.create(brand="比亚迪", series="汉", body_type="SEDAN", energy_type="BEV", price="209800")
    await sign_in(client, "alice", PASSWORD)
    page = await client.get("/showroom")
    assert page.status_code == 200
    html = page.text
    assert "展厅客流" in html and 'action="/showroom"' in html and "比亚迪 汉" in html
    assert f'<option value="{gid("User", world.alice)}" selected>' in html  # the viewer receives by default
    assert 'href="/showroom"' in html  # in the navigation
    assert "今天还没有到店客户" in html and totals(html) == ["0", "0", "0", "0"]
    assert unlabelled_controls(html) == [] and foreign_urls(html) == []


async def test_logging_a_walk_in_lists_it_with_the_totals(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    logged = await client.post("/showroom", data={
        "csrf_token": token, "phone": "135 1234 5678", "name": "赵六", "party_size": "3", "visit_kind": "auto",
        "consultant": gid("User", world.alice), "vehicle_model": "", "note": "看SUV"})
    assert logged.status_code == 303 and logged.headers["location"] == "/showroom"
    page = await client.get("/showroom")
    assert "已登记到店：赵六，新线索。" in page.text
    assert "赵六" in page.text and "3人" in page.text and "看SUV" in page.text and "首次到店" in page.text
    assert totals(page.text) == ["1", "1", "0", "1"]
    customer = await Customer.get(phone="+8613512345678")
    assert customer.owner_id == world.alice.id and customer.channel == "SHOWROOM"


async def test_a_walk_in_without_a_phone_is_counted_too(client, world):
    await sign_in(client, "amy", PASSWORD)
    token = await session_csrf(client)
    logged = await client.post("/showroom", data={"csrf_token": token, "name": "戴帽子的夫妇", "party_size": "1",
                                                  "party_other": "2", "consultant": gid("User", world.amy)})
    assert logged.status_code == 303
    visit = await ShowroomVisit.get()
    assert visit.customer_id is None and visit.party_size == 2
    page = await client.get("/showroom")
    assert "戴帽子的夫妇" in page.text and totals(page.text)[0] == "1"


async def test_bad_input_is_shown_beside_the_field_and_keeps_what_was_typed(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    refused = await client.post("/showroom", data={"csrf_token": token, "phone": "12345", "name": "钱七",
                                                   "party_size": "1", "party_other": "0"})
    assert refused.status_code == 422
    assert 'id="phone-error"' in refused.text and "不是有效的手机号" in refused.text
    assert 'id="partySize-error"' in refused.text
    assert 'value="钱七"' in refused.text
    assert await ShowroomVisit.all().count() == 0


async def test_the_phone_check_names_a_known_customer_and_picks_return_visit(client, world):
    await record_walk_in(world.p(world.alice), phone="13800138000", arrived_at=now() - timedelta(days=5))
    await sign_in(client, "alice", PASSWORD)
    hint = await client.get("/showroom/phone-check", params={"phone": "13800138000"}, headers=HTMX)
    assert hint.status_code == 200 and 'id="visit-kind"' in hint.text and "<html" not in hint.text
    assert "张三" in hint.text and 'value="return" checked' in hint.text
    # Someone else's customer is matched when logged, never shown at the desk.
    other = await client.get("/showroom/phone-check", params={"phone": "13900139000"}, headers=HTMX)
    assert "李四" not in other.text and 'value="auto" checked' in other.text


async def test_one_tap_departure_swaps_the_row_and_the_totals(client, world):
    walk_in = await record_walk_in(world.p(world.alice), phone="13800138000", consultant_id=world.alice.id,
                                   arrived_at=now() - timedelta(minutes=40))
    await sign_in(client, "alice", PASSWORD)
    page = await client.get("/showroom")
    visit_id = gid("ShowroomVisit", walk_in.visit)
    assert f'hx-post="/showroom/{visit_id}/departure"' in page.text and totals(page.text)[3] == "1"
    token = await session_csrf(client)
    swapped = await client.post(f"/showroom/{visit_id}/departure", data={"csrf_token": token}, headers=HTMX)
    assert swapped.status_code == 200 and "<html" not in swapped.text
    assert f'id="visit-{visit_id}"' in swapped.text and f'hx-post="/showroom/{visit_id}/departure"' not in swapped.text
    assert "40分钟" in swapped.text or "41分钟" in swapped.text
    assert 'hx-swap-oob="true"' in swapped.text and totals(swapped.text) == ["1", "1", "0", "0"]
    assert (await ShowroomVisit.get(id=walk_in.visit.id)).left_at is not None


async def test_departure_without_javascript_returns_to_the_page(client, world):
    walk_in = await record_walk_in(world.p(world.alice), phone="13800138000", consultant_id=world.alice.id)
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    done = await client.post(f"/showroom/{gid('ShowroomVisit', walk_in.visit)}/departure", data={"csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/showroom"


async def test_someone_elses_walk_in_is_not_listed_nor_closable(client, world):
    walk_in = await record_walk_in(world.p(world.bob), phone="13900139000", consultant_id=world.bob.id)
    await sign_in(client, "alice", PASSWORD)
    page = await client.get("/showroom")
    assert "李四" not in page.text
    token = await session_csrf(client)
    refused = await client.post(f"/showroom/{gid('ShowroomVisit', walk_in.visit)}/departure",
                                data={"csrf_token": token}, headers=HTMX)
    assert refused.status_code == 404
    assert (await ShowroomVisit.get(id=walk_in.visit.id)).left_at is None


async def test_the_customer_page_shows_how_often_they_came(client, world):
    me = world.p(world.alice)
    await record_walk_in(me, phone="13800138000", arrived_at=now() - timedelta(days=3))
    await record_walk_in(me, phone="13800138000")
    await sign_in(client, "alice", PASSWORD)
    page = await client.get(f"/customers/{gid('Customer', world.alices_customer)}")
    assert "到店 2 次" in page.text


async def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    page = await client.get("/showroom")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
