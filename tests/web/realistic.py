"""A busy consultant's book, for page-size tests: many customers, each with a long history."""

from datetime import timedelta

from tortoise.timezone import now

from server.activity.models import Interaction, Task
from server.auth.principal import principal_for_user
from server.customers.models import Contact, Vehicle
from server.customers.services import create_customer
from server.enums import DecisionRole, InteractionKind, TagCategory, TaskKind
from server.portrait.models import CustomerTag, Tag

SUMMARY = ("客户上午来电，询问新款SUV的落地价和置换补贴，预算在25万左右，家里两个孩子，"
           "关注第三排空间和油耗。已发送车型配置表和本月金融方案（首付三成，36期低息），"
           "约好周六上午带家人来店试驾，需提前准备试驾车并确认置换评估师在店。")
NAMES = "王建国 李秀英 刘伟 陈静 杨洋 黄磊 赵敏 周杰 吴芳 徐强 孙丽 马超 朱琳 胡军 郭涛 何梅 高飞 林峰 罗娟 郑浩 梁爽 谢婷".split()
TAGS = ["潜在换车客户", "二胎家庭", "价格敏感", "新能源意向", "高意向", "置换客户"]


async def busy_consultant(user, customers: int = 20, interactions: int = 20) -> list:
    tags = [await Tag.create(name=name, category=TagCategory.BEHAVIOR) for name in TAGS]
    principal = principal_for_user(user)
    rows = []
    for i in range(customers):
        customer = await create_customer(principal, {
            "name": NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)),
            "phone": f"1357700{i:04d}", "city": "杭州", "budget_min": 200000, "budget_max": 300000,
            "interested_models": ["比亚迪汉EV", "理想L7"], "notes": SUMMARY,
        })
        rows.append(customer)
        await CustomerTag.bulk_create([CustomerTag(customer=customer, tag=t) for t in tags])
        await Contact.create(customer=customer, name="家属", phone="+8613600136000", title="配偶",
                             role=DecisionRole.DECISION_MAKER)
        await Vehicle.create(customer=customer, model_name="大众帕萨特 2019款 330TSI", plate="浙A12345",
                             mileage_km=68000)
        await Interaction.bulk_create([
            Interaction(customer=customer, user=user, kind=InteractionKind.CALL, summary=SUMMARY,
                        next_step="周六试驾", occurred_at=now() - timedelta(hours=j + 1),
                        next_follow_up_at=now() + timedelta(days=1))
            for j in range(interactions)
        ])
        await Task.create(owner=user, customer=customer, kind=TaskKind.FOLLOW_UP, title=f"跟进{customer.name}：周六试驾",
                          body=SUMMARY, due_at=now() - timedelta(hours=1))
        await Task.create(owner=user, customer=customer, kind=TaskKind.BIRTHDAY, title=f"{customer.name}生日，送上祝福",
                          body=SUMMARY, due_at=now())
        await Task.create(owner=user, customer=customer, kind=TaskKind.FOLLOW_UP, title=f"跟进{customer.name}",
                          due_at=now() + timedelta(days=2))
    return rows
