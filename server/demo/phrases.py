"""What consultants write: interaction summaries, next steps, close notes, objections.

The summaries deliberately mention budgets, models (in the spellings people type), colours,
timeframes and financing, because the fact extractor and the portrait are demonstrated on them.
"""

import random
from dataclasses import dataclass

from server.enums import Channel

TIMEFRAMES = {
    # purchase_timeframe value: ways a customer says it
    "一个月内": ("计划下个月提车", "这个月就想定下来", "希望月底前提车"),
    "三个月内": ("打算三个月内买", "计划年前换车", "两三个月内提车"),
    "半年内": ("半年内购车", "等年中再定", "下半年考虑"),
    "一年内": ("明年再买", "一年内换车", "不着急，慢慢看"),
    "待定": ("购车时间还没定", "看情况再说", "暂时没有明确时间"),
}

FINANCING = {
    "LOAN": ("考虑贷款", "想做分期，首付三成", "关注0息贷款政策", "打算贷款36期"),
    "CASH": ("全款购车", "准备一次性付款", "不考虑贷款"),
    "TRADE_IN": ("有旧车想置换", "想把现在的车置换掉", "关注置换补贴"),
    "UNKNOWN": ("付款方式还没想好", "金融方案再看看"),
}

FEATURES = (
    "续航", "空间", "智能座舱", "辅助驾驶", "油耗", "动力", "后排空间", "隔音", "底盘质感",
    "内饰做工", "车机系统", "第三排空间", "充电速度", "安全配置",
)
CONCERNS = (
    "觉得价格偏高", "担心冬天续航打折", "嫌交车周期太长", "觉得后排空间略小", "担心保值率",
    "小区暂时装不了充电桩", "觉得车机反应有点慢", "对油耗比较在意", "担心后期保养费用",
)
COMPANIONS = ("带家人", "和爱人一起", "带朋友", "独自", "和父母一起", "带着孩子")
USAGES = ("上下班通勤", "周末带孩子出游", "经常跑长途", "公司商务接待", "接送孩子上学", "家里第二台车")
REPLIES = ("再考虑一下", "周末过来看看", "要和家人商量一下", "想等等有没有更大优惠", "觉得不错", "收到，谢谢")

NEXT_STEPS = (
    "发送最新报价", "约周末到店试驾", "跟进贷款审批结果", "确认现车颜色和到店时间", "邀请参加周末团购活动",
    "回访客户意向", "提醒客户准备提车资料", "跟进旧车置换评估", "发送金融方案对比", "约客户再次到店谈价格",
)

OBJECTIONS = {
    "价格": ("觉得优惠力度不够，别家4S店便宜五千", "落地价超出预算两万", "希望再送一年保养"),
    "续航": ("担心冬天续航打七折", "老家远，怕跑长途要排队充电"),
    "空间": ("后备箱放不下婴儿车", "后排坐三个人太挤"),
    "交车周期": ("要等两个月才能提车，太久了", "想要的颜色没有现车"),
    "置换": ("旧车评估价比二手车商低三千", "旧车贷款还没还清"),
    "金融方案": ("贷款利率比银行高", "首付比例希望降到两成"),
    "品牌": ("家人觉得品牌保值率不高", "朋友说这个牌子售后一般"),
    "充电": ("小区物业不让装充电桩", "单位附近没有快充站"),
}

TEST_DRIVE_FEEDBACK = (
    "动力响应快，底盘扎实，噪音控制好", "方向盘偏轻，整体满意", "座椅舒服，后排空间够用",
    "辅助驾驶好用，跟车很平顺", "刹车脚感偏软，其他都满意", "加速有推背感，家人很喜欢",
    "车机流畅，语音识别准确", "胎噪略大，能接受",
)

CUSTOMER_NOTES = (
    "客户比较在意售后服务，沟通时语速放慢", "只接受微信联系，工作时间不方便接电话", "老客户介绍来的，注意维护关系",
    "对价格很敏感，报价前先和经理确认底价", "家里老人做决定，下次邀请一起到店", "晚上七点后方便联系",
)

SURVEY_COMMENTS = (
    "对销售顾问服务满意", "觉得交车仪式很用心", "希望保养预约更方便", "对车辆质量满意，会推荐朋友",
    "提车等待时间稍长，其他满意",
)


@dataclass(frozen=True)
class Story:
    """What one customer is after, so every summary about them agrees with their file."""

    model: str  # as the customer calls it: "汉EV", "宋PLUS", "model3"
    color: str
    budget_wan: int  # budget in units of 10,000 CNY (万), as people say it
    timeframe: str  # a TIMEFRAMES key
    financing: str  # a FINANCING key
    usage: str
    competitor_brand: str  # a rival the customer mentions: 小米 …
    competitor_model: str  # … SU7

    @property
    def competitor(self) -> str:
        return self.competitor_brand + self.competitor_model


def budget_text(rng: random.Random, wan: int) -> str:
    return rng.choice((
        f"预算{wan}万左右", f"预算{max(wan - 3, 5)}到{wan + 2}万", f"预算控制在{wan + 2}万以内", f"落地价希望{wan}万出头",
    ))


def first_contact(rng: random.Random, s: Story, channel: Channel) -> str:
    source = {
        Channel.WEBSITE: "官网留资", Channel.DOUYIN: "抖音直播间留资", Channel.THIRD_PARTY: "汽车之家询价",
        Channel.WECHAT: "公众号留言", Channel.WEIBO: "微博私信", Channel.AUTO_SHOW: "车展登记",
        Channel.REFERRAL: "老客户介绍", Channel.EMAIL: "邮件询价", Channel.PHONE: "客户来电",
        Channel.SHOWROOM: "自然到店", Channel.IMPORT: "旧系统导入", Channel.OTHER: "其他渠道",
    }[channel]
    return f"{source}，{budget_text(rng, s.budget_wan)}，对{s.model}感兴趣，{rng.choice(TIMEFRAMES[s.timeframe])}。"


def follow_up_call(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"电话回访，客户{budget_text(rng, s.budget_wan)}，对{s.model}感兴趣，想要{s.color}，"
        f"{rng.choice(TIMEFRAMES[s.timeframe])}，{rng.choice(FINANCING[s.financing])}。",
        f"致电确认需求：主要{s.usage}，倾向{s.model}，{rng.choice(FINANCING[s.financing])}。",
        f"电话邀约客户周末到店，客户说{rng.choice(TIMEFRAMES[s.timeframe])}，想先了解{s.model}的{rng.choice(FEATURES)}。",
        f"电话沟通{s.model}最新优惠，客户{rng.choice(CONCERNS)}，{rng.choice(REPLIES)}。",
        "电话未接通，稍后再联系。",
        "客户在开会，约好晚上再打过去。",
    ))


def inbound_call(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"客户来电咨询{s.model}{s.color}有没有现车，{budget_text(rng, s.budget_wan)}。",
        f"客户来电问{s.model}最近的优惠，说在看{s.competitor}。",
        f"客户来电询问{s.model}的金融政策，{rng.choice(FINANCING[s.financing])}。",
    ))


def visit(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"客户{rng.choice(COMPANIONS)}到店看车，重点看了{s.model}的{rng.choice(FEATURES)}，"
        f"{budget_text(rng, s.budget_wan)}，{rng.choice(FINANCING[s.financing])}。",
        f"二次到店，客户对{s.model}{s.color}比较满意，但{rng.choice(CONCERNS)}，{rng.choice(TIMEFRAMES[s.timeframe])}。",
        f"客户到店对比{s.model}和{s.competitor}，主要{s.usage}，{rng.choice(REPLIES)}。",
    ))


def test_drive(rng: random.Random, s: Story) -> str:
    return (
        f"客户试驾{s.model}，对{rng.choice(FEATURES)}比较满意，{rng.choice(CONCERNS)}，"
        f"{rng.choice(TIMEFRAMES[s.timeframe])}。"
    )


def wechat(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"微信发送{s.model}{s.color}实车照片和配置表，客户回复{rng.choice(REPLIES)}。",
        f"微信沟通{s.model}金融方案，客户{rng.choice(FINANCING[s.financing])}。",
        f"客户微信问{s.model}能不能再优惠，说{s.competitor}那边报价更低。",
        f"微信推送本周末团购活动，客户{rng.choice(REPLIES)}。",
    ))


def note(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"客户在对比{s.competitor}，主要顾虑是{rng.choice(CONCERNS).removeprefix('觉得')}。",
        f"客户{s.usage}，这次想买{s.model}，{rng.choice(FINANCING[s.financing])}。",
        f"客户喜欢{s.color}，{budget_text(rng, s.budget_wan)}，{rng.choice(TIMEFRAMES[s.timeframe])}。",
    ))


def company_email(rng: random.Random, s: Story, quantity: int) -> str:
    return rng.choice((
        f"给客户发送{quantity}台{s.model}的团购报价方案，等待采购部门反馈。",
        f"邮件发送{s.model}企业购车政策和开票说明，客户计划{quantity}台。",
    ))


def negotiation(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"到店谈价，客户希望{s.model}落地价再降三千，经理同意送全年保养，客户{rng.choice(REPLIES)}。",
        f"报价{s.model}{s.color}，{rng.choice(FINANCING[s.financing])}，客户说回去和家人商量。",
    ))


def deal_won(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"客户签约{s.model}{s.color}，{rng.choice(FINANCING[s.financing])}，已交定金。",
        f"{s.model}{s.color}交车，客户很满意，赠送贴膜和脚垫。",
    ))


def deal_lost(rng: random.Random, s: Story, reason: str) -> str:
    return {
        "选择竞品": f"客户告知已在别家订了{s.competitor}，不考虑{s.model}了。",
        "价格太高": f"客户觉得{s.model}落地价太高，超出预算，暂不考虑。",
        "预算不足": f"客户预算只有{max(s.budget_wan - 5, 5)}万，够不上{s.model}，先放一放。",
        "暂缓购买": f"客户家里有事，{s.model}先不买了，{rng.choice(TIMEFRAMES['一年内'])}。",
        "联系不上": "连续多次电话未接通，微信也不回复。",
        "提车周期长": f"{s.model}{s.color}要等两个月，客户不愿意等。",
    }.get(reason, f"客户不再考虑{s.model}。")


def survey(rng: random.Random) -> str:
    return f"交车满意度回访，客户评分{rng.choice((8, 9, 9, 10, 10, 10))}分，{rng.choice(SURVEY_COMMENTS)}。"


def after_sales(rng: random.Random, model: str, mileage_km: int) -> str:
    return rng.choice((
        f"提醒客户{model}快到{round(mileage_km, -4) // 10000 or 1}万公里保养，已预约周末到店。",
        f"{model}保险即将到期，微信发送续保方案，客户说再比较一下。",
        f"回访客户{model}用车情况，客户反馈一切正常。",
    ))


def replacement_talk(rng: random.Random, model: str, s: Story) -> str:
    return rng.choice((
        f"客户说{model}最近老是修，修车花了不少钱，想换台新车，看看{s.model}。",
        f"客户的{model}开了五年多，想置换{s.model}，{budget_text(rng, s.budget_wan)}。",
    ))


def wake_up(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"沉睡客户唤醒：电话告知{s.model}限时优惠，客户说{rng.choice(TIMEFRAMES['待定'])}。",
        "微信问候客户，未回复。",
    ))


def close_note_won(rng: random.Random, s: Story) -> str:
    return rng.choice((
        f"全款购买{s.model}{s.color}，送全车贴膜和脚垫。",
        f"贷款购车，首付三成，分36期，{s.color}现车交付。",
        f"置换成交，旧车抵扣后补差价，客户选{s.color}。",
        f"{s.model}{s.color}，客户对服务很认可，答应介绍朋友来店。",
    ))


def close_note_lost(rng: random.Random, s: Story, reason: str) -> str:
    return deal_lost(rng, s, reason)
