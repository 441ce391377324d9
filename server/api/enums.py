"""The domain's stable enums, exposed in the schema under the same names."""

import strawberry

from server import enums

Role = strawberry.enum(enums.Role, description="What a staff member may do.")
CustomerKind = strawberry.enum(enums.CustomerKind, description="An individual or a company.")
Gender = strawberry.enum(enums.Gender, description="Gender, as given or derived from the ID number.")
Lifecycle = strawberry.enum(enums.Lifecycle, description="Where the customer stands: 线索 → 潜在客户 → 现有客户, or 沉睡/流失.")
Intent = strawberry.enum(enums.Intent, description="Purchase intent: 强烈, 中等, 观望.")
Grade = strawberry.enum(enums.Grade, description="Intent grade, A highest; each has a follow-up cadence.")
ValueTier = strawberry.enum(enums.ValueTier, description="Value tier: 高价值, 中等价值, 潜在.")
Channel = strawberry.enum(enums.Channel, description="Where a customer or a record came from.")
DecisionRole = strawberry.enum(enums.DecisionRole, description="A contact's part in the buying decision.")
InteractionKind = strawberry.enum(enums.InteractionKind, description="What kind of contact took place.")
Direction = strawberry.enum(enums.Direction, description="Who reached out.")
TagCategory = strawberry.enum(enums.TagCategory, description="The dimension of the portrait a tag belongs to.")
TagSource = strawberry.enum(enums.TagSource, description="How a tag came to be on a customer.")
OpportunityStage = strawberry.enum(enums.OpportunityStage, description="Where a deal stands: 初步接触 → 需求确认 → 产品介绍 → 试驾体验 → 报价谈判 → 合同签订.")
OpportunityStatus = strawberry.enum(enums.OpportunityStatus, description="Whether a deal is open, won or lost.")
CloseReasonKind = strawberry.enum(enums.CloseReasonKind, description="Whether a reason explains a win or a loss.")
TestDriveStatus = strawberry.enum(enums.TestDriveStatus, description="Whether a booked test drive took place.")
AssignmentStrategy = strawberry.enum(enums.AssignmentStrategy, description="How a team shares the leads routed to it.")
TemplateKind = strawberry.enum(enums.TemplateKind, description="A talking point (话术) or a message to send (消息模板).")
