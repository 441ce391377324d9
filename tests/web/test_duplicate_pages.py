"""查重 pages: the queue, one pair side by side, merging with field choices, telling two people apart."""

import re

from server.customers.models import Customer
from server.enums import CandidateStatus, Channel, SourceRecordStatus
from server.ingestion.models import DuplicateCandidate
from server.ingestion.services import Incoming, ingest
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid

MAX_PAGE_BYTES = 100 * 1024


async def near_duplicates(owner, name: str, phone_a: str, phone_b: str, **second) -> DuplicateCandidate:
    """Two customers from two channels: the same name, phone numbers one digit apart, one owner."""
    first = await ingest(Channel.WEBSITE, [Incoming({"姓名": name, "手机号": phone_a, "地址": "杭州市西湖区文三路1号"})])
    later = await ingest(Channel.DOUYIN, [Incoming({"姓名": name, "手机号": phone_b, **second})])
    assert later[0].status is SourceRecordStatus.NEEDS_REVIEW
    ids = [first[0].customer_id, later[0].customer_id]
    # Channels land customers in the pool; give both to one consultant, as assignment would.
    await Customer.filter(id__in=ids).update(owner_id=owner.id, team_id=owner.team_id)
    return await DuplicateCandidate.get(customer_a_id=min(ids), customer_b_id=max(ids))


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html.split('id="compare"')[1]).group(1)


async def test_the_queue_lists_a_near_duplicate_pair_with_its_score_and_reason(client, world):
    pair = await near_duplicates(world.alice, "钱七", "13855550001", "13855550002")
    await sign_in(client, "alice", PASSWORD)
    queue = (await client.get("/duplicates")).text
    assert f'href="/duplicates/{gid("DuplicateCandidate", pair)}"' in queue
    assert queue.count("钱七") == 2 and "相似度 60%" in queue and "姓名相同，手机号只差一位" in queue
    assert "138****0001" in queue and "138****0002" in queue and "共 1 对待查重" in queue


async def test_the_pair_page_compares_both_customers_and_offers_a_choice_where_they_differ(client, world):
    pair = await near_duplicates(world.alice, "钱七", "13855550001", "13855550002", 城市="宁波")
    await sign_in(client, "alice", PASSWORD)
    page = await client.get(f"/duplicates/{gid('DuplicateCandidate', pair)}")
    assert page.status_code == 200
    html = page.text
    a, b = gid("Customer", await pair.customer_a), gid("Customer", await pair.customer_b)
    # The older customer stays by default, and each field that differs defaults to its value.
    assert f'name="survivor" value="{a}" checked' in html and re.search(f'name="survivor" value="{b}"\\s+hx-get', html)
    assert f'name="keep-phone" value="{a}" checked' in html and f'name="keep-phone" value="{b}">' in html
    assert 'name="keep-name"' not in html  # the same on both sides: nothing to choose
    assert 'name="keep-address"' in html  # one has an address, the other none
    for text in ("138****0001", "138****0002", "官网", "抖音", "来源记录", "新建客户", "待查重", "首次来源", "负责顾问"):
        assert text in html, text
    assert "合并" in html and "不是同一人" in html
    # HTMX: choosing the other survivor makes its values the defaults.
    swapped = await client.get(f"/duplicates/{gid('DuplicateCandidate', pair)}", params={"survivor": b}, headers=HTMX)
    assert swapped.text.lstrip().startswith('<form id="compare"') and "<html" not in swapped.text
    assert f'name="survivor" value="{b}" checked' in swapped.text
    assert f'name="keep-phone" value="{b}" checked' in swapped.text
    # The survivor has no address: the other's is kept unless the reviewer says otherwise.
    assert f'name="keep-address" value="{a}" checked' in swapped.text


async def test_merging_keeps_the_chosen_values_and_leaves_the_queue(client, world):
    pair = await near_duplicates(world.alice, "钱七", "13855550001", "13855550002")
    await sign_in(client, "alice", PASSWORD)
    url = f"/duplicates/{gid('DuplicateCandidate', pair)}"
    page = (await client.get(url)).text
    a, b = gid("Customer", await pair.customer_a), gid("Customer", await pair.customer_b)
    merged = await client.post(url, data={"csrf_token": form_token(page), "survivor": a, "keep-phone": b,
                                          "keep-address": a, "action": "MERGE"})
    assert merged.status_code == 303 and merged.headers["location"] == "/duplicates"
    survivor = await Customer.get(id=pair.customer_a_id)
    assert survivor.phone == "+8613855550002" and survivor.address == "杭州市西湖区文三路1号"
    assert (await Customer.get(id=pair.customer_b_id)).merged_into_id == survivor.id
    queue = (await client.get("/duplicates")).text
    assert "已合并为一位客户" in queue and f'href="/customers/{a}"' in queue
    assert url not in queue and "没有需要查重的客户" in queue
    # The confirmation is shown once.
    assert "已合并为一位客户" not in (await client.get("/duplicates")).text


async def test_not_the_same_person_removes_the_pair_and_a_second_decision_is_refused(client, world):
    pair = await near_duplicates(world.alice, "孙八", "13955550001", "13955550007")
    other = await near_duplicates(world.alice, "周九", "13755550001", "13755550002")
    await sign_in(client, "alice", PASSWORD)
    url = f"/duplicates/{gid('DuplicateCandidate', pair)}"
    page = (await client.get(url)).text
    token = form_token(page)
    dismissed = await client.post(url, data={"csrf_token": token, "action": "NOT_SAME_PERSON"})
    assert dismissed.status_code == 303
    assert (await DuplicateCandidate.get(id=pair.id)).status is CandidateStatus.DISMISSED
    queue = (await client.get("/duplicates")).text
    assert "已标记为不是同一人" in queue and url not in queue
    assert f"/duplicates/{gid('DuplicateCandidate', other)}" in queue
    # The page still opens, says how it was resolved and offers nothing to submit.
    resolved = (await client.get(url)).text
    assert "这一对已处理：不是同一人" in resolved and 'value="MERGE"' not in resolved
    # A merge sent from a page opened before (another tab, another reviewer) is refused and said so.
    conflict = await client.post(url, data={"csrf_token": token, "action": "MERGE"})
    assert conflict.status_code == 409 and "这一对已经有人处理过了" in conflict.text
    assert await Customer.filter(id__in=[pair.customer_a_id, pair.customer_b_id], merged_into_id=None).count() == 2


async def test_an_outsider_gets_not_found_for_the_pair_and_cannot_resolve_it(client, world):
    pair = await near_duplicates(world.alice, "钱七", "13855550001", "13855550002")
    url = f"/duplicates/{gid('DuplicateCandidate', pair)}"
    for username in ("bob", "amy"):
        await sign_in(client, username, PASSWORD)
        token = await session_csrf(client)
        assert "钱七" not in (await client.get("/duplicates")).text
        for response in (await client.get(url), await client.post(url, data={"csrf_token": token, "action": "MERGE"})):
            assert response.status_code == 404 and "钱七" not in response.text
        await client.post("/logout", data={"csrf_token": token})
        client.cookies.clear()
    assert (await DuplicateCandidate.get(id=pair.id)).status is CandidateStatus.OPEN
    # A mangled id, or the id of something else, is no pair either.
    await sign_in(client, "alice", PASSWORD)
    assert (await client.get("/duplicates/nonsense")).status_code == 404
    assert (await client.get(f"/duplicates/{gid('Customer', world.alices_customer)}")).status_code == 404


async def test_a_pair_with_a_pool_customer_explains_why_it_cannot_be_merged(client, world):
    pair = await near_duplicates(world.alice, "钱七", "13855550001", "13855550002")
    await Customer.filter(id=pair.customer_b_id).update(owner_id=None)  # back in the pool
    await sign_in(client, "alice", PASSWORD)
    url = f"/duplicates/{gid('DuplicateCandidate', pair)}"
    page = (await client.get(url)).text
    refused = await client.post(url, data={"csrf_token": form_token(page), "action": "MERGE"})
    assert refused.status_code == 422 and "公海客户需先认领" in refused.text and 'role="alert"' in refused.text
    assert (await DuplicateCandidate.get(id=pair.id)).status is CandidateStatus.OPEN


async def test_duplicate_pages_are_labelled_light_and_self_hosted(client, world):
    # Distinct phone tails: pairs must not also match each other (same pinyin and tail).
    pairs = [await near_duplicates(world.alice, f"吴{i}", f"136{i:04d}{i:02d}01", f"136{i:04d}{i:02d}02")
             for i in range(25)]
    await sign_in(client, "alice", PASSWORD)
    queue = (await client.get("/duplicates")).text
    assert queue.count('class="row-link" href="/duplicates/') == 20
    more = re.search(r'<li class="more">\s*<a href="([^"]+)" hx-get="([^"]+)" hx-trigger="revealed"', queue)
    rows = (await client.get(more.group(1).replace("&amp;", "&"), headers=HTMX)).text
    assert rows.lstrip().startswith("<li>") and rows.count('href="/duplicates/') == 5
    pair_page = (await client.get(f"/duplicates/{gid('DuplicateCandidate', pairs[0])}")).text
    for html in (queue, pair_page):
        assert unlabelled_controls(html) == []
        assert foreign_urls(html) == []
        assert len(html.encode()) < MAX_PAGE_BYTES
    assert "查重" in queue and 'href="/imports"' in queue  # both reachable from the navigation
