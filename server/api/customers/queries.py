import strawberry
from strawberry.types import Info

from server.api.customers.filters import CustomerFilter, CustomerOrder, apply_filter, apply_order
from server.api.customers.types import Customer
from server.api.permissions import CanRead
from server.api.relay import Connection, decode_id, paginate
from server.auth.scope import scoped
from server.customers.models import Customer as CustomerModel


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="Customers the viewer may see, filtered and sorted.", permission_classes=[CanRead])
    async def customers(
        self,
        info: Info,
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Customer]:
        query = apply_order(apply_filter(scoped(CustomerModel, info.context.principal), filter), order_by)
        return await paginate(query, first, after, Customer.from_model)

    @strawberry.field(description="One customer by id, if the viewer may see it.", permission_classes=[CanRead])
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        pk = decode_id(id, "Customer")
        row = await scoped(CustomerModel, info.context.principal).filter(id=pk).first()
        return Customer.from_model(row) if row else None
