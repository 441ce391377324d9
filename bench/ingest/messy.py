"""How real channels spell keys and values: the same fact written many ways.

Every spelling here must clean back to the same value; the generator relies on it
for its ground truth (an identifier sent messy is still the same identifier).
"""

import random

# Keys per field: Chinese spreadsheet headers, English webhook keys, and both mixed.
KEYS = {
    "name": ("姓名", "客户姓名", "名字", "name", "Name", "customer_name", "姓名："),
    "phone": ("手机号", "手机", "手机号码", "联系电话", "phone", "mobile", "Mobile", "tel"),
    "id_number": ("身份证号", "身份证", "证件号码", "id_card", "idcard", "ID_NUMBER"),
    "email": ("邮箱", "电子邮箱", "email", "E-mail", "mail"),
    "openid": ("openid", "微信openid", "wechat_openid"),
    "unionid": ("unionid", "wechat_unionid"),
    "channel": ("来源", "渠道", "线索来源", "channel", "source"),
    "intent": ("意向", "购买意向", "意向程度", "intent"),
    "model": ("意向车型", "车型", "关注车型", "model", "interested_model"),
    "budget": ("预算", "购车预算", "budget"),
    "gender": ("性别", "gender", "sex"),
    "birthday": ("生日", "出生日期", "birthday"),
    "address": ("地址", "联系地址", "address"),
    "notes": ("备注", "留言", "remark", "notes"),
    "external_id": ("线索编号", "lead_id", "外部编号"),
}
CHANNELS = ("官网", "web", "网站", "门店", "到店", "展厅", "walk-in", "400电话", "来电", "微信", "公众号", "小程序",
            "抖音", "汽车之家", "懂车帝", "易车", "来自汽车之家的线索", "车展", "转介绍", "老客户推荐", "其他")
INTENTS = ("强烈", "很想买", "马上买", "A", "hot", "中等", "一般", "有兴趣", "B", "观望", "随便看看", "了解一下", "C", "low")
MODELS = ("汉EV", "秦PLUS DM-i", "宋PLUS", "Model Y", "Model 3", "理想L7", "问界M7", "小米SU7", "极氪001",
          "凯美瑞", "雅阁", "朗逸", "轩逸", "宝马3系", "奥迪A4L", "奔驰C级", "途观L", "CR-V")
BUDGETS = ("15-20万", "20万左右", "30w", "25万以内", "10~15万", "二十万", "40万", "180000", "预算25")
GENDER_WORDS = {"MALE": ("男", "先生", "male", "M"), "FEMALE": ("女", "女士", "female", "F")}
ROADS = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "黄河路", "学府路", "科技园路",
         "滨江大道", "世纪大道", "南京路", "淮海路", "深南大道", "天府大道", "珞瑜路", "文三路", "北京路", "青年路")
_FULL_WIDTH = str.maketrans("0123456789+-X", "０１２３４５６７８９＋－Ｘ")


def key(rng: random.Random, field: str) -> str:
    return rng.choice(KEYS[field])


def name(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.10:
        return " ".join(value)  # "张 伟"
    if roll < 0.15:
        return "\u3000".join(value)  # ideographic space, as typed with a Chinese IME
    if roll < 0.25:
        return f" {value} "
    return value


def phone(rng: random.Random, digits: str) -> str:
    a, b, c = digits[:3], digits[3:7], digits[7:]
    forms = (
        digits, digits, f"{a} {b} {c}", f"{a}-{b}-{c}", f"+86 {a} {b} {c}", f"+86-{digits}",
        f"0086 {digits}", f"86{digits}", f"(+86){digits}", f" {digits} ", digits.translate(_FULL_WIDTH),
    )
    return rng.choice(forms)


def id_number(rng: random.Random, number: str) -> str:
    roll = rng.random()
    if roll < 0.15 and number[6:8] == "19":
        return number[:6] + number[8:17]  # 15-digit legacy form: two-digit year, no check digit
    if roll < 0.30:
        return f"{number[:6]} {number[6:14]} {number[14:]}".lower()
    if roll < 0.40:
        return number.translate(_FULL_WIDTH)
    return number.lower() if rng.random() < 0.5 else number  # lower-case x


def email(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.2:
        return value.upper()
    if roll < 0.35:
        return value.capitalize() + " "
    return value


def birthday(rng: random.Random, value) -> str:
    return value.strftime(rng.choice(("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")))


def address(rng: random.Random) -> str:
    return f"{rng.choice(ROADS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(101, 2808)}室"


def extras(rng: random.Random, gender: str) -> dict:
    """The fields that do not identify anyone: where the lead came from, what they want."""
    out = {}
    choices = (
        ("channel", 0.7, lambda: rng.choice(CHANNELS)),
        ("intent", 0.5, lambda: rng.choice(INTENTS)),
        ("model", 0.6, lambda: "、".join(rng.sample(MODELS, rng.choice((1, 1, 2))))),
        ("budget", 0.3, lambda: rng.choice(BUDGETS)),
        ("gender", 0.2, lambda: rng.choice(GENDER_WORDS[gender])),
        ("address", 0.15, lambda: address(rng)),
        ("notes", 0.1, lambda: rng.choice(("周末到店", "想要试驾", "对比了几家", "请尽快联系", "晚上方便接电话"))),
    )
    for field, share, make in choices:
        if rng.random() < share:
            out[key(rng, field)] = make()
    return out
