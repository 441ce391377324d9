"""The fictional dealership's staff: three sales teams, their managers and consultants.

Every demo account signs in with the same published password: it is a demo, and the CLI
prints these sign-ins so that anyone trying the product can pick a role.
"""

from typing import NamedTuple

from server.enums import Role

DEMO_PASSWORD = "demo1234"
DEALERSHIP_NAME = "杭州华远汽车销售服务有限公司"

TEAM_NAMES = ("销售一组", "销售二组", "销售三组")

ADMIN_USERNAME = "admin"


class DemoAccount(NamedTuple):
    username: str
    role: Role
    team: str | None  # None for the administrator, who belongs to no team


def _accounts() -> list[DemoAccount]:
    accounts = [DemoAccount(ADMIN_USERNAME, Role.ADMIN, None)]
    accounts += [DemoAccount(f"manager{i + 1}", Role.MANAGER, team) for i, team in enumerate(TEAM_NAMES)]
    # 6 + 5 + 5 consultants: team one is the largest, as in most showrooms.
    team_sizes = (6, 5, 5)
    number = 0
    for team, size in zip(TEAM_NAMES, team_sizes):
        for _ in range(size):
            number += 1
            accounts.append(DemoAccount(f"sales{number:02d}", Role.CONSULTANT, team))
    return accounts


DEMO_ACCOUNTS: list[DemoAccount] = _accounts()

DISPLAY_NAMES: dict[str, str] = dict(
    zip(
        (account.username for account in DEMO_ACCOUNTS),
        (
            "周建国",
            "陈立新", "王海燕", "刘志强",
            "张伟", "李娜", "赵磊", "孙丽", "马超", "黄晓明",
            "吴敏", "徐涛", "胡静", "郭鹏", "何芳",
            "林浩", "罗婷", "高翔", "郑雪", "梁宇",
        ),
        strict=True,
    )
)
