"""Chinese personal and company names, drawn the way they occur in real life."""

import random

# Surnames with their approximate share of the population in per mille (national census),
# so that 王, 李 and 张 are as common in the demo as in a real showroom's customer list.
SURNAMES: dict[str, int] = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 45, "杨": 31, "黄": 22, "赵": 20, "吴": 20, "周": 19,
    "徐": 15, "孙": 15, "马": 14, "朱": 13, "胡": 13, "郭": 12, "何": 12, "林": 11, "高": 11, "罗": 11,
    "郑": 10, "梁": 9, "谢": 8, "宋": 7, "唐": 7, "许": 7, "韩": 7, "冯": 6, "邓": 6, "曹": 6,
    "彭": 6, "曾": 6, "肖": 6, "田": 5, "董": 5, "袁": 5, "潘": 5, "于": 5, "蒋": 5, "蔡": 5,
    "余": 5, "杜": 5, "叶": 5, "程": 5, "苏": 4, "魏": 4, "吕": 4, "丁": 4, "任": 4, "沈": 4,
    "姚": 4, "卢": 4, "姜": 4, "崔": 4, "钟": 4, "谭": 3, "陆": 3, "汪": 3, "范": 3, "金": 3,
    "石": 3, "廖": 3, "贾": 3, "夏": 3, "韦": 3, "付": 3, "方": 3, "白": 3, "邹": 3, "孟": 3,
    "熊": 3, "秦": 3, "邱": 3, "江": 3, "尹": 3, "薛": 2, "闫": 2, "段": 2, "雷": 2, "侯": 2,
    "龙": 2, "史": 2, "陶": 2, "黎": 2, "贺": 2, "顾": 2, "毛": 2, "郝": 2, "龚": 2, "邵": 2,
    "万": 2, "钱": 2, "严": 2, "覃": 1, "武": 1, "戴": 1, "莫": 1, "孔": 1, "向": 1, "汤": 1,
    "欧阳": 1, "上官": 1, "司马": 1, "诸葛": 1,
}
_SURNAME_LIST = list(SURNAMES)
_SURNAME_WEIGHTS = list(SURNAMES.values())

MALE_CHARS = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "建", "国", "志",
    "文", "海", "峰", "晨", "博", "轩", "睿", "泽", "宏", "成", "立", "永", "东", "亮", "毅", "昊",
    "然", "子", "嘉", "思", "一", "天", "铭", "晓", "振", "兴", "德", "春", "光", "荣",
)
FEMALE_CHARS = (
    "芳", "娜", "敏", "静", "秀", "丽", "艳", "娟", "霞", "燕", "玲", "丹", "萍", "红", "颖", "琳",
    "洁", "倩", "婷", "雪", "慧", "佳", "欣", "月", "莉", "晶", "梅", "琴", "蕾", "薇", "云", "璐",
    "瑶", "怡", "梦", "雨", "思", "诗", "涵", "晓", "嘉", "悦", "馨", "宁", "彤", "琪", "妍", "可",
    "一", "子", "文", "春", "玉", "凤", "美", "小", "雅", "晴",
)


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_LIST, weights=_SURNAME_WEIGHTS)[0]


def person_name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    # About a third of people born since the 1980s have a one-character given name.
    if rng.random() < 0.3:
        given = rng.choice(chars)
    else:
        first = rng.choice(chars)
        second = rng.choice(chars)
        # Doubled characters (婷婷, 莉莉) are common for women, rare for men.
        if second == first and male:
            second = rng.choice([c for c in chars if c != first])
        given = first + second
    return surname(rng) + given


COMPANY_WORDS = (
    "恒信", "鼎盛", "华通", "远航", "博远", "中联", "宏达", "金源", "瑞丰", "天成", "盛世", "东方",
    "新锐", "启明", "卓越", "汇通", "正阳", "海纳", "聚力", "万象", "鸿运", "明德", "佳禾", "锦程",
    "精工", "安泰", "腾飞", "九州", "银河", "春晖",
)
INDUSTRIES = (
    "贸易", "物流", "网络科技", "建设工程", "餐饮管理", "房地产开发", "医疗器械", "教育咨询", "电子",
    "机械设备", "文化传媒", "供应链管理", "环保科技", "食品", "服饰", "物业管理", "旅游发展",
)
COMPANY_SIZES = ("1-49人", "50-199人", "200-999人", "1000人以上")


def company_name(rng: random.Random, city: str) -> str:
    place = city.removesuffix("市")
    suffix = "股份有限公司" if rng.random() < 0.15 else "有限公司"
    return f"{place}{rng.choice(COMPANY_WORDS)}{rng.choice(INDUSTRIES)}{suffix}"


OCCUPATIONS = (
    "教师", "医生", "护士", "软件工程师", "公务员", "个体经营", "销售经理", "设计师", "财务", "律师",
    "自由职业", "企业高管", "外卖骑手", "网约车司机", "电商运营", "建筑工程师", "银行职员", "大学生",
    "退休", "餐饮老板", "保险代理人", "主播", "研究员", "会计",
)
