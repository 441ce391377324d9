"""The demo's talking points (话术) and message templates, written for the tags the demo customers carry.

The tags are those of server/demo/tags.py, the generated portrait tags of server/portrait/tagging.py
(预算:…, 已试驾, 流失风险, 延保潜力 …) and the built-in rule's 潜在换车客户. Every text renders in the
sandbox with server/portrait/templates.py's fields.
"""

from server.demo.world import World
from server.enums import TemplateKind
from server.portrait.models import MessageTemplate

TALK, MESSAGE = TemplateKind.TALKING_POINT.value, TemplateKind.MESSAGE.value

# (title, kind, tags, stages, grades, body)
TEMPLATES = [
    ("首次电话破冰", TALK, [], ["INITIAL_CONTACT"], [],
     "{{ salutation }}您好，我是{{ owner }}，感谢您关注我们的车型。想先了解一下您平时主要是上下班通勤还是家里出行多？"
     "这样我可以帮您挑最合适的配置。"),
    ("需求确认：预算与用途", TALK, ["预算:10-20万", "预算:20-30万", "预算:30-50万"], ["NEEDS_CONFIRMED"], [],
     "{{ salutation }}，按您{{ budget }}的预算，我整理了两套方案：一套看重空间和配置，一套看重用车成本。"
     "您更在意哪一点？我把对比表发您微信。"),
    ("新能源用车成本", TALK, ["偏好新能源"], ["NEEDS_CONFIRMED", "PRESENTATION"], [],
     "{{ salutation }}，纯电车每公里电费大约是油车的五分之一，家里能装充电桩的话更划算。"
     "我们店可以协助免费勘测安装，{{ interested_model }}的续航您不用担心。"),
    ("试驾邀约", MESSAGE, ["意向车型:比亚迪 汉 EV 创世版 610km", "意向车型:比亚迪 汉 DM-i 冠军版", "高意向"], ["PRESENTATION"], ["A", "B"],
     "{{ salutation }}您好，我是{{ owner }}。{{ interested_model }}的试驾车本周末有空档，"
     "周六或周日您哪天方便？我提前帮您预留，到店有专人讲解。"),
    ("试驾后跟进", TALK, ["已试驾"], ["TEST_DRIVE"], [],
     "{{ salutation }}，昨天试驾{{ deal_model }}感觉怎么样？加速和底盘您还满意吗？"
     "有哪里没体验到的，我可以再帮您安排一次长距离试驾。"),
    ("报价异议：价格", TALK, [], ["NEGOTIATION"], [],
     "{{ salutation }}，价格这块我理解您的顾虑。我们的报价已经包含了上牌和首保，"
     "另外本月还有置换补贴和金融贴息，算下来落地价比外面报的裸车价更实在。"),
    ("分期方案推荐", TALK, ["贷款购车"], ["NEGOTIATION", "PRESENTATION"], [],
     "{{ salutation }}，如果您考虑分期，现在有首付两成、两年免息的方案，"
     "{{ deal_model }}月供压力不大，我帮您按{{ budget }}的预算算一下具体数字？"),
    ("签约前确认", MESSAGE, [], ["CONTRACT"], [],
     "{{ salutation }}您好，合同和交车资料我已准备好：身份证、驾驶证和首付款凭证请带齐。"
     "交车当天我会陪您验车并讲解功能，有问题随时找我{{ owner }}。"),
    ("换车关怀", MESSAGE, ["潜在换车客户", "可能换车"], [], [],
     "{{ salutation }}您好，您的爱车也陪您好几年了。店里本月有旧车免费评估和置换补贴，"
     "周末来店里喝杯茶，顺便看看新款？"),
    ("流失客户唤醒", MESSAGE, ["流失风险", "长期未联系", "超过90天未联系"], [], [],
     "{{ salutation }}，好久没联系了，我是{{ owner }}。最近店里到了几款新车，也有老客户专享保养优惠，"
     "有需要随时找我。"),
    ("延保推荐", TALK, ["延保潜力"], [], [],
     "{{ salutation }}，您的车原厂质保快到期了，三电和发动机的维修费用不低。"
     "现在续保延保有老客户价，我把方案发您看看？"),
    ("老客户转介绍", MESSAGE, ["转介绍潜力"], [], [],
     "{{ salutation }}，感谢您一直以来的信任！如果身边朋友有看车需要，欢迎介绍给我，"
     "成交后我们为您送上一次免费保养，朋友也享受同等优惠。"),
    ("高意向客户加速成交", TALK, ["高意向"], [], ["A"],
     "{{ salutation }}，您看中的{{ interested_model }}现车颜色不多了，本周订车可以锁定当前优惠。"
     "要不要我先帮您留一台？"),
]


def build_talking_points(world: World) -> list[MessageTemplate]:
    return [world.add(MessageTemplate(title=title, kind=kind, tag_names=tags, stages=stages, grades=grades, body=body))
            for title, kind, tags, stages, grades, body in TEMPLATES]
