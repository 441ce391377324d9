"""Hand-made cases outside the generated set, each on a fresh SQLite database.

The generated set gives every person identifiers of their own; real data does not
(a family shares one mobile, staff type a placeholder e-mail). These cases show what
ingest does then. `python -m bench.ingest.probes`
"""

import asyncio

from bench.ingest.databases import fresh_database
from server.customers.id_numbers import check_digit
from server.customers.models import Customer
from server.enums import Channel
from server.ingestion.models import DuplicateCandidate
from server.ingestion.services import Incoming, ingest


def _id(body: str) -> str:
    return body + check_digit(body)


CASES = [
    (
        "husband and wife share one mobile; their ID numbers differ",
        "two customers, or a candidate",
        [[{"姓名": "王建国", "手机": "13911112222", "身份证号": _id("11010119700101001")}],
         [{"姓名": "李秀英", "手机": "13911112222", "身份证号": _id("11010119720202002")}]],
    ),
    (
        "two people, different names and phones, same placeholder e-mail",
        "two customers, or a candidate",
        [[{"姓名": "刘洋", "手机": "13911113333", "邮箱": "123@qq.com"}],
         [{"姓名": "陈静", "手机": "13733334444", "邮箱": "123@qq.com"}]],
    ),
    (
        "one batch: ID only, then the phone for that ID, then the phone mistyped",
        "a candidate between the two customers",
        [[{"姓名": "黄思萱", "身份证号": _id("44030419931110426")},
          {"姓名": "黄思萱", "身份证号": _id("44030419931110426"), "手机": "18861648523"},
          {"姓名": "黄思萱", "手机": "18861648223"}]],
    ),
]


async def run_case(batches: list[list[dict]]) -> str:
    async with fresh_database("sqlite", "probe"):
        for batch in batches:
            await ingest(Channel.SHOWROOM, [Incoming(payload) for payload in batch])
        customers = await Customer.all().order_by("id").values("id", "name", "phone")
        candidates = await DuplicateCandidate.all().count()
    shown = "; ".join(f"#{c['id']} {c['name']} {c['phone']}" for c in customers)
    return f"{len(customers)} customer(s) [{shown}], {candidates} candidate(s)"


async def main() -> None:
    print("| case | expected | got |\n|---|---|---|")
    for title, expected, batches in CASES:
        print(f"| {title} | {expected} | {await run_case(batches)} |")


if __name__ == "__main__":
    asyncio.run(main())
