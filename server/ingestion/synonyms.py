"""Free text for channel, intent and gender mapped to the standard values.

Built-in synonyms cover what dealers commonly type; the managed `Synonym` table
adds to and overrides them without a release.
"""

import unicodedata

from server.ingestion.models import Synonym

BUILT_IN: dict[str, dict[str, str]] = {
    "channel": {
        **dict.fromkeys(("官网", "网站", "官方网站", "web", "website", "网页", "online"), "WEBSITE"),
        **dict.fromkeys(("门店", "展厅", "到店", "店内", "自然到店", "showroom", "walk-in", "walkin"), "SHOWROOM"),
        **dict.fromkeys(("电话", "来电", "400电话", "热线", "phone", "call"), "PHONE"),
        **dict.fromkeys(("微信", "公众号", "微信公众号", "小程序", "wechat", "weixin"), "WECHAT"),
        **dict.fromkeys(("微博", "weibo"), "WEIBO"),
        **dict.fromkeys(("抖音", "douyin", "tiktok", "快手", "短视频"), "DOUYIN"),
        **dict.fromkeys(("邮件", "邮箱", "email", "e-mail"), "EMAIL"),
        **dict.fromkeys(("车展", "展会", "auto show", "autoshow"), "AUTO_SHOW"),
        **dict.fromkeys(("转介绍", "推荐", "老客户推荐", "朋友介绍", "referral"), "REFERRAL"),
        **dict.fromkeys(("汽车之家", "懂车帝", "易车", "易车网", "太平洋汽车", "爱卡汽车", "第三方", "autohome",
                         "dongchedi", "yiche", "third party", "third_party"), "THIRD_PARTY"),
        **dict.fromkeys(("导入", "import", "excel"), "IMPORT"),
        **dict.fromkeys(("其他", "其它", "other"), "OTHER"),
    },
    "intent": {
        **dict.fromkeys(("强烈", "很强", "很想买", "急", "急需", "马上买", "高", "high", "strong", "hot", "a"), "STRONG"),
        **dict.fromkeys(("中等", "一般", "中", "有兴趣", "medium", "warm", "b"), "MEDIUM"),
        **dict.fromkeys(("观望", "随便看看", "了解一下", "低", "弱", "low", "watching", "cold", "c"), "WATCHING"),
    },
    "gender": {
        **dict.fromkeys(("男", "男性", "先生", "male", "m", "man", "1"), "MALE"),
        **dict.fromkeys(("女", "女性", "女士", "小姐", "female", "f", "woman", "0", "2"), "FEMALE"),
    },
}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


class SynonymTable:
    """A snapshot of the synonyms, loaded once per batch."""

    def __init__(self, overrides: dict[str, dict[str, str]] | None = None) -> None:
        self._maps = {kind: dict(values) for kind, values in BUILT_IN.items()}
        for kind, values in (overrides or {}).items():
            self._maps.setdefault(kind, {}).update(values)

    @classmethod
    async def load(cls) -> "SynonymTable":
        overrides: dict[str, dict[str, str]] = {}
        for row in await Synonym.all():
            overrides.setdefault(row.kind, {})[fold(row.raw_value)] = row.value
        return cls(overrides)

    def lookup(self, kind: str, text: str) -> str | None:
        folded = fold(text)
        if not folded:
            return None
        table = self._maps.get(kind, {})
        if folded in table:
            return table[folded]
        if folded.upper() in table.values():
            return folded.upper()
        # "来自汽车之家的线索": a known word inside a longer phrase.
        for word, value in sorted(table.items(), key=lambda kv: -len(kv[0])):
            if len(word) >= 2 and word in folded:
                return value
        return None
