"""Cars the customers own and their after-sales history.

A share of the older cars (five years or more) broke down three or more times in the last
twelve months: the customers the 'likely replacement' rule is meant to find.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from server.customers.models import ServiceRecord, Vehicle
from server.demo.catalog import CATALOG, CatalogEntry
from server.demo.clock import Clock
from server.demo.customers import Persona
from server.demo.identifiers import VinBook, licence_plate
from server.demo.world import World
from server.enums import Grade, Intent, Lifecycle, OpportunityStatus, ServiceKind
from server.sales.models import VehicleModel

# Cars bought elsewhere before the customer came to us: (brand, model, WMI).
OTHER_CARS = (
    ("日产", "轩逸 1.6L", "LGB"), ("别克", "英朗 1.5L", "LSG"), ("长安", "CS75 1.8T", "LS5"),
    ("哈弗", "H6 1.5T", "LGW"), ("现代", "朗动 1.6L", "LBE"), ("福特", "福克斯 1.5L", "LVS"),
    ("奥迪", "A4L 40TFSI", "LFV"), ("宝马", "320Li", "LBV"),
)
MAINTENANCE = (
    ("常规保养：更换机油、机滤", 380, 900),
    ("大保养：更换机油、三滤、火花塞", 900, 2200),
    ("保养：更换刹车油、空调滤芯", 500, 1200),
)
EV_MAINTENANCE = (("电池健康检测、更换空调滤芯", 200, 600), ("底盘检查、四轮定位", 300, 800))
REPAIRS = (
    ("更换前刹车片", 800, 1600), ("空调压缩机维修", 2500, 5200), ("变速箱异响检修", 1800, 7800),
    ("更换蓄电池", 600, 1300), ("更换前减震器", 1600, 3800), ("发动机漏油维修", 1200, 4500),
    ("更换水泵", 900, 2100), ("车窗升降器维修", 500, 1200),
)
ACCIDENTS = (("追尾事故，前保险杠钣金喷漆", 2000, 9000), ("侧面刮擦，两门喷漆", 1500, 4000), ("倒车撞柱，更换后保险杠", 2500, 6500))

OLD_CAR_SHARE = 0.45  # of customers who bought before the CRM existed, how many own a 5+ year-old car
REPLACEMENT_SHARE = 0.4  # of those, how many keep breaking down


@dataclass
class OwnedCar:
    row: Vehicle
    label: str  # brand and model as people say it
    purchased: date
    new_energy: bool
    last_maintenance: date | None = None


def _anniversary(day: date, year: int) -> date:
    return day.replace(year=year, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=year)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low // 10, high // 10) * 10)


class FleetBuilder:
    def __init__(self, world: World, clock: Clock, rng: random.Random, vins: VinBook,
                 models: dict[CatalogEntry, VehicleModel]):
        self.world, self.clock, self.rng, self.vins, self.models = world, clock, rng, vins, models

    def build(self, personas: list[Persona]) -> None:
        for persona in personas:
            if persona.lifecycle is not Lifecycle.CUSTOMER:
                continue
            won = next((d for d in persona.deals if d.status is OpportunityStatus.WON), None)
            if won:
                delivered = min(won.closed + timedelta(days=self.rng.randint(0, 7)), self.clock.day(1))
                for _ in range(persona.quantity):
                    self._history(persona, self._car(persona, won.entry, delivered), breaking_down=False)
            if not won or self.rng.random() < 0.2:
                self._earlier_car(persona)

    def _earlier_car(self, persona: Persona) -> None:
        rng = self.rng
        old = rng.random() < OLD_CAR_SHARE
        years = rng.uniform(5.0, 9.0) if old else rng.uniform(1.0, 4.8)
        purchased = self.clock.today - timedelta(days=int(years * 365))
        count = rng.randint(2, 4) if persona.company else 1
        catalog_car = rng.random() < 0.7
        for _ in range(count):
            if catalog_car:
                entry = rng.choice([e for e in CATALOG if abs(e.price - persona.favourite.price) < 120000])
                car = self._car(persona, entry, purchased)
            else:
                car = self._other_car(persona, purchased)
            breaking_down = old and rng.random() < REPLACEMENT_SHARE
            self._history(persona, car, breaking_down)
            if breaking_down and not persona.replacing:
                persona.replacing = True
                persona.customer.intent, persona.customer.grade = Intent.MEDIUM, Grade.B

    def _car(self, persona: Persona, entry: CatalogEntry, purchased: date) -> OwnedCar:
        car = self._vehicle(persona, entry.display_name, entry.wmi, purchased, entry.new_energy)
        self.world.add(car.row, customer=persona.customer, vehicle_model=self.models[entry])
        return car

    def _other_car(self, persona: Persona, purchased: date) -> OwnedCar:
        brand, model, wmi = self.rng.choice(OTHER_CARS)
        car = self._vehicle(persona, f"{brand} {model}", wmi, purchased, new_energy=False)
        self.world.add(car.row, customer=persona.customer)
        return car

    def _vehicle(self, persona: Persona, label: str, wmi: str, purchased: date, new_energy: bool) -> OwnedCar:
        rng, clock = self.rng, self.clock
        age_days = (clock.today - purchased).days
        model_year = purchased.year + (1 if purchased.month >= 10 else 0)
        # Insurance renews on the purchase anniversary: the next one, or one that lapsed lately.
        expiry = _anniversary(purchased, purchased.year + 1)
        while expiry < clock.day(20):
            expiry = _anniversary(purchased, expiry.year + 1)
        row = Vehicle(
            model_name=label,
            vin=self.vins.issue(wmi, model_year),
            plate=licence_plate(rng, persona.region.plate, new_energy),
            purchase_date=purchased,
            mileage_km=int(age_days * rng.uniform(25, 60)),
            insurance_expiry=expiry,
            created_at=clock.at(max(purchased, persona.created), 12),
        )
        car = OwnedCar(row, label, purchased, new_energy)
        persona.vehicles.append(car)
        return car

    def _history(self, persona: Persona, car: OwnedCar, breaking_down: bool) -> None:
        rng, clock = self.rng, self.clock
        per_day = (car.row.mileage_km or 0) / max((clock.today - car.purchased).days, 1)
        yesterday = clock.day(1)
        day = car.purchased + timedelta(days=rng.randint(90, 180))
        while day <= yesterday:
            label, low, high = rng.choice(EV_MAINTENANCE if car.new_energy else MAINTENANCE)
            self._record(persona, car, ServiceKind.MAINTENANCE, day, per_day, label, _money(rng, low, high))
            if rng.random() < 0.12:
                label, low, high = rng.choice(REPAIRS)
                repair_day = min(day + timedelta(days=rng.randint(10, 120)), yesterday)
                self._record(persona, car, ServiceKind.REPAIR, repair_day, per_day, label, _money(rng, low, high))
            day += timedelta(days=rng.randint(150, 330))
        if (clock.today - car.purchased).days > 400 and rng.random() < 0.1:
            label, low, high = rng.choice(ACCIDENTS)
            self._record(persona, car, ServiceKind.ACCIDENT, clock.day(rng.randint(30, 360)), per_day, label,
                         _money(rng, low, high))
        if (clock.today - car.purchased).days < 3 * 365 and rng.random() < 0.15:
            warranty_day = clock.day(rng.randint(1, max(1, min(360, (clock.today - car.purchased).days - 1))))
            self._record(persona, car, ServiceKind.WARRANTY, warranty_day, per_day, "质保期内免费更换车机模块", Decimal(0))
        if breaking_down:
            for repair_ago in sorted(rng.sample(range(5, 360), k=rng.randint(3, 5)), reverse=True):
                label, low, high = rng.choice(REPAIRS)
                self._record(persona, car, ServiceKind.REPAIR, clock.day(repair_ago), per_day, label, _money(rng, low, high))

    def _record(self, persona: Persona, car: OwnedCar, kind: ServiceKind, day: date, per_day: float,
                description: str, amount: Decimal) -> None:
        row = ServiceRecord(
            kind=kind,
            service_date=day,
            mileage_km=int((day - car.purchased).days * per_day),
            amount=amount,
            description=description,
            created_at=self.clock.at(day, 17),
        )
        self.world.add(row, vehicle=car.row, customer=persona.customer)
        if kind is ServiceKind.MAINTENANCE:
            car.last_maintenance = max(day, car.last_maintenance or day)
