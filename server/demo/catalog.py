"""The vehicle catalog of a multi-brand dealership group, and the rivals it loses deals to.

Prices are guide prices in CNY, rounded as dealers quote them; they only need to be plausible.
"""

from decimal import Decimal
from typing import NamedTuple

from server.demo.world import World
from server.enums import BodyType, EnergyType
from server.sales.models import VehicleModel


class CatalogEntry(NamedTuple):
    brand: str
    series: str
    trim: str
    body: BodyType
    energy: EnergyType
    price: int
    colors: tuple[str, ...]
    aliases: tuple[str, ...]
    wmi: str  # world manufacturer identifier: the first three characters of the VIN

    @property
    def display_name(self) -> str:
        # Same rule as VehicleModel.display_name, so interested_models match the catalog.
        return " ".join(part for part in (self.brand, self.series, self.trim) if part)

    @property
    def new_energy(self) -> bool:
        return self.energy in (EnergyType.BEV, EnergyType.PHEV)


S, SUV, MPV, HB = BodyType.SEDAN, BodyType.SUV, BodyType.MPV, BodyType.HATCHBACK
ICE, BEV, PHEV, HEV = EnergyType.ICE, EnergyType.BEV, EnergyType.PHEV, EnergyType.HEV

CATALOG: tuple[CatalogEntry, ...] = (
    CatalogEntry("比亚迪", "汉", "EV 创世版 610km", S, BEV, 209800, ("白色", "黑色", "红色", "灰色"),
                 ("汉EV", "han", "比亚迪汉", "汉 EV"), "LGX"),
    CatalogEntry("比亚迪", "汉", "DM-i 冠军版", S, PHEV, 169800, ("白色", "黑色", "蓝色"),
                 ("汉DM", "汉DM-i", "han dm"), "LGX"),
    CatalogEntry("比亚迪", "秦PLUS", "DM-i 荣耀版", S, PHEV, 99800, ("白色", "银色", "蓝色", "红色"),
                 ("秦plus", "秦+", "qin plus"), "LGX"),
    CatalogEntry("比亚迪", "宋PLUS", "DM-i 荣耀版", SUV, PHEV, 149800, ("白色", "黑色", "灰色", "蓝色"),
                 ("宋plus", "宋+", "song plus"), "LGX"),
    CatalogEntry("比亚迪", "海豹", "06 DM-i", S, PHEV, 139800, ("白色", "灰色", "蓝色"),
                 ("海豹06", "seal 06"), "LGX"),
    CatalogEntry("比亚迪", "海豚", "活力版", HB, BEV, 99800, ("粉色", "白色", "蓝色", "绿色"),
                 ("dolphin", "小海豚"), "LGX"),
    CatalogEntry("比亚迪", "唐", "DM-p 四驱旗舰版", SUV, PHEV, 279800, ("黑色", "白色", "灰色"),
                 ("唐DM", "tang", "比亚迪唐"), "LGX"),
    CatalogEntry("吉利", "星越L", "2.0TD 旗舰型", SUV, ICE, 159700, ("白色", "黑色", "灰色", "蓝色"),
                 ("星越l", "xingyue l"), "L6T"),
    CatalogEntry("吉利", "银河L7", "EM-i 超长续航", SUV, PHEV, 139800, ("白色", "灰色", "绿色"),
                 ("银河l7", "galaxy l7"), "L6T"),
    CatalogEntry("吉利", "帝豪", "1.5L 手动豪华型", S, ICE, 72900, ("白色", "银色", "红色"),
                 ("帝豪l", "emgrand"), "L6T"),
    CatalogEntry("丰田", "凯美瑞", "2.0HS 双擎运动版", S, HEV, 209800, ("白色", "黑色", "银色", "红色"),
                 ("camry", "凯美瑞双擎", "凯美瑞混动"), "LVG"),
    CatalogEntry("丰田", "卡罗拉", "1.5L 先锋版", S, ICE, 119800, ("白色", "银色", "灰色"),
                 ("corolla", "卡罗拉燃油"), "LFM"),
    CatalogEntry("丰田", "RAV4荣放", "2.0L 两驱风尚版", SUV, ICE, 179800, ("白色", "黑色", "绿色"),
                 ("rav4", "荣放"), "LFM"),
    CatalogEntry("丰田", "汉兰达", "2.5L 双擎四驱尊贵版", SUV, HEV, 299800, ("黑色", "白色", "棕色"),
                 ("highlander", "汉兰达双擎"), "LVG"),
    CatalogEntry("丰田", "赛那", "2.5L 混动 豪华版", MPV, HEV, 339800, ("白色", "黑色", "灰色"),
                 ("sienna", "塞纳"), "LVG"),
    CatalogEntry("本田", "雅阁", "260TURBO 精英版", S, ICE, 179800, ("白色", "黑色", "蓝色"),
                 ("accord", "雅阁燃油"), "LHG"),
    CatalogEntry("本田", "思域", "240TURBO 劲动版", S, ICE, 129900, ("白色", "红色", "灰色"),
                 ("civic", "思域两厢"), "LVH"),
    CatalogEntry("本田", "CR-V", "锐·混动 2.0L 两驱净速版", SUV, HEV, 209900, ("白色", "黑色", "银色"),
                 ("crv", "cr-v混动", "cr v"), "LVH"),
    CatalogEntry("本田", "艾力绅", "2.0L 锐·混动 至尊版", MPV, HEV, 299800, ("黑色", "白色"),
                 ("elysion", "艾力绅混动"), "LVH"),
    CatalogEntry("大众", "帕萨特", "330TSI 精英版", S, ICE, 209900, ("黑色", "白色", "灰色"),
                 ("passat", "帕萨特燃油"), "LSV"),
    CatalogEntry("大众", "迈腾", "330TSI 领先型", S, ICE, 199900, ("黑色", "白色", "蓝色"),
                 ("magotan", "迈腾380"), "LFV"),
    CatalogEntry("大众", "途观L", "330TSI 自动两驱智享版", SUV, ICE, 215800, ("白色", "黑色", "灰色"),
                 ("tiguan l", "途观"), "LSV"),
    CatalogEntry("大众", "朗逸", "1.5L 自动舒适版", S, ICE, 119000, ("白色", "银色", "蓝色"),
                 ("lavida", "朗逸plus"), "LSV"),
    CatalogEntry("大众", "ID.4 CROZZ", "长续航 PRO", SUV, BEV, 199900, ("白色", "蓝色", "灰色"),
                 ("id4", "id.4", "id4 crozz"), "LFV"),
    CatalogEntry("特斯拉", "Model 3", "后轮驱动版", S, BEV, 231900, ("白色", "黑色", "灰色", "红色", "蓝色"),
                 ("model3", "M3", "特斯拉3", "毛豆3"), "LRW"),
    CatalogEntry("特斯拉", "Model Y", "长续航全轮驱动版", SUV, BEV, 299900, ("白色", "黑色", "灰色", "蓝色"),
                 ("modely", "MY", "特斯拉Y", "毛豆Y"), "LRW"),
    CatalogEntry("理想", "L6", "Pro", SUV, PHEV, 249800, ("灰色", "白色", "黑色", "绿色"),
                 ("理想l6", "li l6"), "LW4"),
    CatalogEntry("理想", "L7", "Max", SUV, PHEV, 319800, ("灰色", "白色", "黑色"),
                 ("理想l7", "li l7"), "LW4"),
    CatalogEntry("理想", "L9", "Ultra", SUV, PHEV, 409800, ("黑色", "灰色", "白色"),
                 ("理想l9", "li l9"), "LW4"),
    CatalogEntry("蔚来", "ET5", "75kWh", S, BEV, 298000, ("白色", "灰色", "蓝色"),
                 ("et5", "nio et5"), "LJ1"),
    CatalogEntry("蔚来", "ES6", "75kWh", SUV, BEV, 338000, ("白色", "黑色", "蓝色"),
                 ("es6", "nio es6"), "LJ1"),
    CatalogEntry("蔚来", "ES8", "100kWh 行政版", SUV, BEV, 498000, ("黑色", "白色"),
                 ("es8", "nio es8"), "LJ1"),
)

# Deals lost to another dealership are lost to something: these brands are not on our floor.
COMPETITORS: tuple[tuple[str, str, int], ...] = (
    ("小米", "SU7", 215900),
    ("问界", "M7", 249800),
    ("问界", "M9", 469800),
    ("小鹏", "P7+", 209800),
    ("零跑", "C11", 149800),
    ("极氪", "001", 269000),
    ("深蓝", "S7", 149900),
    ("长安", "CS75 PLUS", 119900),
    ("哈弗", "H6", 109900),
    ("奥迪", "A4L", 321800),
    ("宝马", "3系", 299900),
    ("奔驰", "C级", 335000),
    ("别克", "GL8", 239900),
    ("日产", "轩逸", 99800),
    ("领克", "08", 189800),
)


def build_catalog(world: World) -> dict[CatalogEntry, VehicleModel]:
    return {
        entry: world.add(VehicleModel(
            brand=entry.brand, series=entry.series, trim=entry.trim, body_type=entry.body,
            energy_type=entry.energy, price=Decimal(entry.price), colors=list(entry.colors),
            aliases=list(entry.aliases),
        ))
        for entry in CATALOG
    }
