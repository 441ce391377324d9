"""Staff-wide lists the pipeline refers to: vehicle models and the win/loss reasons."""

from decimal import Decimal

import strawberry

from server.api.enums import CloseReasonKind
from server.api.relay import Node, to_global_id
from server.sales.models import CloseReason as CloseReasonModel
from server.sales.models import VehicleModel as VehicleModelModel


@strawberry.type(description="A model in the dealership's catalog (车型).")
class VehicleModel(Node):
    brand: str = strawberry.field(description="The brand, e.g. 比亚迪.")
    series: str = strawberry.field(description="The series, e.g. 汉.")
    trim: str = strawberry.field(description="The trim level.")
    display_name: str = strawberry.field(description="Brand, series and trim in one line.")
    price: Decimal = strawberry.field(description="The guide price in CNY.")
    is_active: bool = strawberry.field(description="Whether it is still sold.")

    @classmethod
    def from_model(cls, m: VehicleModelModel) -> "VehicleModel":
        return cls(id=to_global_id("VehicleModel", m.id), brand=m.brand, series=m.series, trim=m.trim,
                   display_name=m.display_name, price=m.price, is_active=m.is_active)


@strawberry.type(description="A reason from the managed list of why deals are won or lost (赢单/战败原因).")
class CloseReason(Node):
    kind: CloseReasonKind = strawberry.field(description="Whether it explains a win or a loss.")
    label: str = strawberry.field(description="The reason as users see it.")
    requires_competitor: bool = strawberry.field(description="Whether a loss for this reason must name the competitor's brand and model.")
    is_active: bool = strawberry.field(description="Whether it can still be chosen; retired reasons stay on old deals.")
    position: int = strawberry.field(description="Its place in the list, lowest first.")

    @classmethod
    def from_model(cls, r: CloseReasonModel) -> "CloseReason":
        return cls(id=to_global_id("CloseReason", r.id), kind=r.kind, label=r.label,
                   requires_competitor=r.requires_competitor, is_active=r.is_active, position=r.position)
