"""Which incoming key (JSON key or spreadsheet header) means which customer field."""

import re
import unicodedata

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名", "客户姓名", "客户名称", "名字", "称呼", "customer_name", "full_name"),
    "phone": ("phone", "mobile", "tel", "手机号", "手机", "手机号码", "电话", "联系电话", "联系方式", "phone_number"),
    "id_number": ("id_number", "idcard", "id_card", "身份证号", "身份证", "身份证号码", "证件号", "证件号码"),
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件"),
    "wechat_openid": ("openid", "wechat_openid", "微信openid"),
    "wechat_unionid": ("unionid", "wechat_unionid", "微信unionid"),
    "gender": ("gender", "sex", "性别"),
    "birthday": ("birthday", "birth_date", "生日", "出生日期"),
    "province": ("province", "省", "省份"),
    "city": ("city", "市", "城市"),
    "district": ("district", "区", "区县", "县区"),
    "address": ("address", "地址", "联系地址", "住址"),
    "occupation": ("occupation", "job", "职业"),
    "company_name": ("company", "company_name", "公司", "单位", "工作单位", "公司名称"),
    "interested_model": ("interested_model", "model", "vehicle", "意向车型", "车型", "感兴趣车型", "关注车型"),
    "budget": ("budget", "预算", "购车预算"),
    "channel": ("channel", "source", "来源", "渠道", "线索来源", "来源渠道"),
    "intent": ("intent", "意向", "购买意向", "意向程度", "购车意向"),
    "purchase_timeframe": ("timeframe", "purchase_timeframe", "购车时间", "预计购车时间"),
    "notes": ("notes", "note", "remark", "remarks", "comment", "备注", "说明", "留言"),
    "external_id": ("external_id", "id", "编号", "外部编号", "线索编号", "线索id", "record_id", "lead_id"),
    "campaign_code": ("campaign", "campaign_code", "活动代码", "活动编号", "活动"),
}

_LOOKUP = {}
for field, names in ALIASES.items():
    for alias in names:
        _LOOKUP[re.sub(r"[\s_\-*:：]", "", alias.lower())] = field


def canonical_key(key: str) -> str | None:
    """'手机号码 ' → 'phone'; None for a key we do not know (it stays in the kept payload)."""
    folded = unicodedata.normalize("NFKC", str(key)).lower()
    return _LOOKUP.get(re.sub(r"[\s_\-*:：()（）]", "", folded))


# Keys whose values are never stored in clear, not even inside a kept payload.
SECRET_FIELDS = {"id_number"}
