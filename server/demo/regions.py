"""A small table of real administrative division codes (GB/T 2260), the first six digits
of an ID-card number, so that a customer's ID number and address tell the same story."""

import random
from typing import NamedTuple


class Region(NamedTuple):
    code: str
    province: str
    city: str
    district: str
    plate: str  # licence plate prefix of the city
    streets: tuple[str, ...]
    weight: int  # the dealership is in Hangzhou: most customers live nearby


REGIONS: tuple[Region, ...] = (
    Region("330106", "浙江省", "杭州市", "西湖区", "浙A", ("文三路", "天目山路", "古墩路", "教工路"), 14),
    Region("330102", "浙江省", "杭州市", "上城区", "浙A", ("解放路", "庆春路", "望江路", "江城路"), 12),
    Region("330105", "浙江省", "杭州市", "拱墅区", "浙A", ("湖墅南路", "莫干山路", "大关路"), 10),
    Region("330108", "浙江省", "杭州市", "滨江区", "浙A", ("江南大道", "长河路", "滨盛路"), 10),
    Region("330110", "浙江省", "杭州市", "余杭区", "浙A", ("文一西路", "五常大道", "临平大道"), 10),
    Region("330203", "浙江省", "宁波市", "海曙区", "浙B", ("中山西路", "药行街", "望京路"), 5),
    Region("330302", "浙江省", "温州市", "鹿城区", "浙C", ("人民路", "车站大道", "学院路"), 4),
    Region("330602", "浙江省", "绍兴市", "越城区", "浙D", ("解放北路", "胜利路", "中兴路"), 4),
    Region("330402", "浙江省", "嘉兴市", "南湖区", "浙F", ("中山东路", "南湖大道", "秀州路"), 3),
    Region("330702", "浙江省", "金华市", "婺城区", "浙G", ("八一南街", "宾虹路", "人民西路"), 3),
    Region("110105", "北京市", "北京市", "朝阳区", "京N", ("建国路", "朝阳北路", "望京街"), 1),
    Region("110108", "北京市", "北京市", "海淀区", "京Q", ("中关村大街", "学院路", "知春路"), 1),
    Region("310115", "上海市", "上海市", "浦东新区", "沪A", ("世纪大道", "张杨路", "锦绣路"), 2),
    Region("310104", "上海市", "上海市", "徐汇区", "沪B", ("漕溪北路", "肇嘉浜路", "天钥桥路"), 2),
    Region("320102", "江苏省", "南京市", "玄武区", "苏A", ("中山路", "北京东路", "龙蟠路"), 2),
    Region("320506", "江苏省", "苏州市", "吴中区", "苏E", ("东吴北路", "宝带西路", "吴中大道"), 2),
    Region("340104", "安徽省", "合肥市", "蜀山区", "皖A", ("长江西路", "黄山路", "潜山路"), 2),
    Region("360102", "江西省", "南昌市", "东湖区", "赣A", ("八一大道", "阳明路", "叠山路"), 2),
    Region("350203", "福建省", "厦门市", "思明区", "闽D", ("湖滨南路", "厦禾路", "莲前西路"), 1),
    Region("440106", "广东省", "广州市", "天河区", "粤A", ("天河路", "体育西路", "黄埔大道"), 1),
    Region("440305", "广东省", "深圳市", "南山区", "粤B", ("深南大道", "南海大道", "科苑路"), 1),
    Region("510107", "四川省", "成都市", "武侯区", "川A", ("人民南路", "武侯祠大街", "天府大道"), 1),
    Region("500103", "重庆市", "重庆市", "渝中区", "渝A", ("解放碑步行街", "中山四路", "长江一路"), 1),
    Region("420106", "湖北省", "武汉市", "武昌区", "鄂A", ("中南路", "武珞路", "中北路"), 1),
    Region("430104", "湖南省", "长沙市", "岳麓区", "湘A", ("麓山南路", "桐梓坡路", "岳麓大道"), 1),
    Region("410105", "河南省", "郑州市", "金水区", "豫A", ("花园路", "金水路", "经三路"), 2),
    Region("370102", "山东省", "济南市", "历下区", "鲁A", ("泉城路", "经十路", "解放路"), 1),
    Region("610113", "陕西省", "西安市", "雁塔区", "陕A", ("小寨东路", "长安南路", "科技路"), 1),
    Region("120101", "天津市", "天津市", "和平区", "津A", ("南京路", "滨江道", "成都道"), 1),
    Region("210102", "辽宁省", "沈阳市", "和平区", "辽A", ("中华路", "南京北街", "三好街"), 1),
)

_WEIGHTS = [region.weight for region in REGIONS]


def pick_region(rng: random.Random) -> Region:
    return rng.choices(REGIONS, weights=_WEIGHTS)[0]


def street_address(rng: random.Random, region: Region) -> str:
    street = rng.choice(region.streets)
    if rng.random() < 0.6:
        return f"{street}{rng.randint(1, 399)}号{rng.randint(1, 30)}幢{rng.randint(1, 28)}0{rng.randint(1, 4)}室"
    return f"{street}{rng.randint(1, 399)}号"
