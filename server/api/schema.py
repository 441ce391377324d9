"""The one schema: per-domain queries and mutations composed, with query limits."""

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from server import config
from server.api.activity import interaction_log, task_complete
from server.api.activity.queries import ActivityQuery
from server.api.activity.task_types import Task
from server.api.activity.types import Interaction
from server.api.analytics.queries import AnalyticsQuery
from server.api.auth import preferences_update
from server.api.auth.queries import AuthQuery
from server.api.campaigns import campaign_create, campaign_update, customer_campaign_set
from server.api.campaigns.queries import CampaignQuery
from server.api.campaigns.types import Campaign
from server.api.customers import contact_add, contact_update, customer_create, customer_update, field_reveal
from server.api.customers.queries import CustomerQuery
from server.api.customers.types import Contact, Customer, Vehicle
from server.api.ingestion import candidate_resolve, customers_merge, import_start, records_ingest, source_record_unmerge
from server.api.ingestion.import_types import ImportJob
from server.api.ingestion.queries import IngestionQuery
from server.api.ingestion.types import DuplicateCandidate, SourceRecord
from server.api.node import NodeQuery
from server.api.pool import customers_assign, pool_claim, pool_return, rule_create, rule_delete, rule_update
from server.api.pool.rule_types import AssignmentRule
from server.api.pool.queries import PoolQuery
from server.api.portrait import suggestion_accept, suggestion_dismiss
from server.api.portrait import template_create, template_update
from server.api.portrait.types import MessageTemplate
from server.api.portrait.queries import PortraitQuery
from server.api.sales import (
    close_reason_create,
    close_reason_update,
    loss_request_review,
    objection_add,
    objection_resolve,
    opportunity_close,
    opportunity_create,
    opportunity_reopen,
    opportunity_stage_move,
    quote_create,
    testdrive_book,
    testdrive_feedback_record,
)
from server.api.sales.catalog_types import CloseReason, VehicleModel
from server.api.sales.queries import SalesQuery
from server.api.rules import rule_create as trigger_rule_create
from server.api.rules import rule_enabled_set, rule_preview
from server.api.rules import rule_update as trigger_rule_update
from server.api.rules.queries import RulesQuery
from server.api.rules.types import Rule, RuleFiring
from server.api.sales.types import Objection, Opportunity, Quote, TestDrive
from server.api.showroom import departure_record, visit_record
from server.api.showroom.queries import ShowroomQuery
from server.api.showroom.types import ShowroomVisit

Query = merge_types(
    "Query", (NodeQuery, AuthQuery, CustomerQuery, ActivityQuery, IngestionQuery, PortraitQuery, SalesQuery, PoolQuery,
              ShowroomQuery, CampaignQuery, AnalyticsQuery, RulesQuery)
)


@strawberry.type
class Mutation:
    create_customer = customer_create.field
    update_customer = customer_update.field
    add_contact = contact_add.field
    update_contact = contact_update.field
    log_interaction = interaction_log.field
    reveal_field = field_reveal.field
    complete_task = task_complete.field
    update_preferences = preferences_update.field
    ingest_records = records_ingest.field
    merge_customers = customers_merge.field
    unmerge_source_record = source_record_unmerge.field
    resolve_duplicate_candidate = candidate_resolve.field
    start_import = import_start.field
    claim_from_pool = pool_claim.field
    return_to_pool = pool_return.field
    assign_customers = customers_assign.field
    create_assignment_rule = rule_create.field
    update_assignment_rule = rule_update.field
    delete_assignment_rule = rule_delete.field
    create_opportunity = opportunity_create.field
    move_opportunity_stage = opportunity_stage_move.field
    close_opportunity = opportunity_close.field
    review_loss_request = loss_request_review.field
    reopen_opportunity = opportunity_reopen.field
    create_quote = quote_create.field
    book_test_drive = testdrive_book.field
    record_test_drive_feedback = testdrive_feedback_record.field
    add_objection = objection_add.field
    resolve_objection = objection_resolve.field
    create_close_reason = close_reason_create.field
    update_close_reason = close_reason_update.field
    record_showroom_visit = visit_record.field
    record_showroom_departure = departure_record.field
    create_campaign = campaign_create.field
    update_campaign = campaign_update.field
    set_customer_campaign = customer_campaign_set.field
    create_rule = trigger_rule_create.field
    update_rule = trigger_rule_update.field
    set_rule_enabled = rule_enabled_set.field
    preview_rule = rule_preview.field
    accept_suggestion = suggestion_accept.field
    dismiss_suggestion = suggestion_dismiss.field
    create_message_template = template_create.field
    update_message_template = template_update.field


def build_schema() -> strawberry.Schema:
    settings = config.settings
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Customer, Contact, Vehicle, Interaction, Task, SourceRecord, DuplicateCandidate, ImportJob,
               Opportunity, Quote, TestDrive, Objection, CloseReason, VehicleModel, AssignmentRule,
               ShowroomVisit, Campaign, Rule, RuleFiring, MessageTemplate],
        extensions=[
            QueryDepthLimiter(max_depth=settings.query_max_depth),
            MaxAliasesLimiter(max_alias_count=settings.query_max_aliases),
            MaxTokensLimiter(max_token_count=settings.query_max_tokens),
        ],
    )


schema = build_schema()
