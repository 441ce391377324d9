"""node(id:): any object by its global id, through the same scope as every other path."""

import strawberry
from strawberry.types import Info

from server.activity.models import Interaction as InteractionModel
from server.api.activity.task_types import Task
from server.api.activity.types import Interaction
from server.activity.models import Task as TaskModel
from server.api.auth.types import Team, User
from server.api.customers.types import Contact, Customer, Vehicle
from server.api.permissions import CanRead
from server.api.ingestion.import_types import ImportJob
from server.api.ingestion.types import DuplicateCandidate, SourceRecord
from server.api.portrait.types import MessageTemplate, Tag
from server.ingestion import imports
from server.ingestion.models import DuplicateCandidate as CandidateModel
from server.ingestion.models import ImportJob as ImportJobModel
from server.ingestion.models import SourceRecord as SourceRecordModel
from server.api.relay import Node, from_global_id
from server.auth.models import Team as TeamModel
from server.auth.models import User as UserModel
from server.auth.scope import customer_q, scoped, task_q
from server.customers.models import Contact as ContactModel
from server.customers.models import Customer as CustomerModel
from server.customers.models import Vehicle as VehicleModel
from server.errors import UserError
from server.portrait.models import MessageTemplate as MessageTemplateModel
from server.portrait.models import Tag as TagModel
from server.api.sales.catalog_types import CloseReason, VehicleModel
from server.api.sales.types import Objection, Opportunity, Quote, TestDrive
from server.api.pool.rule_types import AssignmentRule
from server.api.showroom.types import ShowroomVisit
from server.auth.scope import showroom_visit_q
from server.api.campaigns.types import Campaign
from server.api.rules.types import Rule, RuleFiring
from server.rules import models as rules
from server.sales import assignment
from server.sales import models as sales

# type name → (model, relation path to Customer, "task" for owner-scoped tasks, "rule" for
# team-scoped assignment rules, or None for staff-wide objects such as users and tags, factory)
NODE_TYPES = {
    "Customer": (CustomerModel, "", Customer.from_model),
    "Contact": (ContactModel, "customer__", Contact.from_model),
    "Vehicle": (VehicleModel, "customer__", Vehicle.from_model),
    "Interaction": (InteractionModel, "customer__", Interaction.from_model),
    "Task": (TaskModel, "task", Task.from_model),
    "SourceRecord": (SourceRecordModel, "customer__", SourceRecord.from_model),
    "DuplicateCandidate": (CandidateModel, "pair", DuplicateCandidate.from_model),
    "ImportJob": (ImportJobModel, "import", ImportJob.from_model),
    "User": (UserModel, None, User.from_model),
    "Team": (TeamModel, None, Team.from_model),
    "Tag": (TagModel, None, Tag.from_model),
    "Opportunity": (sales.Opportunity, "customer__", Opportunity.from_model),
    "Quote": (sales.Quote, "opportunity__customer__", Quote.from_model),
    "TestDrive": (sales.TestDrive, "customer__", TestDrive.from_model),
    "Objection": (sales.Objection, "opportunity__customer__", Objection.from_model),
    "CloseReason": (sales.CloseReason, None, CloseReason.from_model),
    "VehicleModel": (sales.VehicleModel, None, VehicleModel.from_model),
    "AssignmentRule": (sales.AssignmentRule, "rule", AssignmentRule.from_model),
    "ShowroomVisit": (sales.ShowroomVisit, "showroom", ShowroomVisit.from_model),
    "Campaign": (sales.Campaign, None, Campaign.from_model),
    "Rule": (rules.Rule, None, Rule.from_model),
    "RuleFiring": (rules.RuleFiring, "customer__", RuleFiring.from_model),
    "MessageTemplate": (MessageTemplateModel, None, MessageTemplate.from_model),
}


async def resolve_node(info: Info, global_id: str):
    try:
        type_name, pk = from_global_id(global_id)
    except UserError:
        return None
    if type_name not in NODE_TYPES:
        return None
    model, via, factory = NODE_TYPES[type_name]
    principal = info.context.principal
    if via is None:
        query = model.all()
    elif via == "task":
        query = model.filter(task_q(principal))
    elif via == "rule":
        query = model.filter(assignment.visible_rules(principal))
    elif via == "showroom":
        query = model.filter(showroom_visit_q(principal))
    elif via == "import":
        query = model.filter(imports.visible_jobs(principal))
    elif via == "pair":
        # A pair is visible only to someone who may see both of its customers.
        query = model.filter(customer_q(principal, "customer_a__"), customer_q(principal, "customer_b__"))
    else:
        query = scoped(model, principal, via)
    row = await query.filter(id=pk).first()
    return factory(row) if row else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null if it does not exist or is not visible.",
                      permission_classes=[CanRead])
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)
