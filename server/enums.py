"""Stable English identifiers for the classifications used across domains.

Labels users see live in the gettext catalog (see server/i18n.py), keyed by
these values; never store a label.
"""

from enum import StrEnum


class Role(StrEnum):
    CONSULTANT = "CONSULTANT"
    MANAGER = "MANAGER"
    ADMIN = "ADMIN"


class CustomerKind(StrEnum):
    INDIVIDUAL = "INDIVIDUAL"
    COMPANY = "COMPANY"


class Gender(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    UNKNOWN = "UNKNOWN"


class Lifecycle(StrEnum):
    LEAD = "LEAD"
    PROSPECT = "PROSPECT"
    CUSTOMER = "CUSTOMER"
    DORMANT = "DORMANT"
    LOST = "LOST"


class Intent(StrEnum):
    STRONG = "STRONG"
    MEDIUM = "MEDIUM"
    WATCHING = "WATCHING"


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class ValueTier(StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    POTENTIAL = "POTENTIAL"


class Channel(StrEnum):
    WEBSITE = "WEBSITE"
    SHOWROOM = "SHOWROOM"
    PHONE = "PHONE"
    WECHAT = "WECHAT"
    WEIBO = "WEIBO"
    DOUYIN = "DOUYIN"
    EMAIL = "EMAIL"
    AUTO_SHOW = "AUTO_SHOW"
    REFERRAL = "REFERRAL"
    THIRD_PARTY = "THIRD_PARTY"
    IMPORT = "IMPORT"
    OTHER = "OTHER"


class DecisionRole(StrEnum):
    DECISION_MAKER = "DECISION_MAKER"
    INFLUENCER = "INFLUENCER"
    USER = "USER"
    FINANCE_APPROVER = "FINANCE_APPROVER"
    GATEKEEPER = "GATEKEEPER"
    CHAMPION = "CHAMPION"


class InteractionKind(StrEnum):
    CALL = "CALL"
    VISIT = "VISIT"
    TEST_DRIVE = "TEST_DRIVE"
    MESSAGE = "MESSAGE"
    EMAIL = "EMAIL"
    SURVEY = "SURVEY"
    NOTE = "NOTE"


class Direction(StrEnum):
    INBOUND = "INBOUND"
    OUTBOUND = "OUTBOUND"


class OpportunityStage(StrEnum):
    INITIAL_CONTACT = "INITIAL_CONTACT"
    NEEDS_CONFIRMED = "NEEDS_CONFIRMED"
    PRESENTATION = "PRESENTATION"
    TEST_DRIVE = "TEST_DRIVE"
    NEGOTIATION = "NEGOTIATION"
    CONTRACT = "CONTRACT"


class OpportunityStatus(StrEnum):
    OPEN = "OPEN"
    WON = "WON"
    LOST = "LOST"


class CloseReasonKind(StrEnum):
    WIN = "WIN"
    LOSS = "LOSS"


class TestDriveStatus(StrEnum):
    BOOKED = "BOOKED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"
    NO_SHOW = "NO_SHOW"


class BodyType(StrEnum):
    SEDAN = "SEDAN"
    SUV = "SUV"
    MPV = "MPV"
    HATCHBACK = "HATCHBACK"
    COUPE = "COUPE"
    PICKUP = "PICKUP"


class EnergyType(StrEnum):
    ICE = "ICE"
    BEV = "BEV"
    PHEV = "PHEV"
    HEV = "HEV"


class ServiceKind(StrEnum):
    MAINTENANCE = "MAINTENANCE"
    REPAIR = "REPAIR"
    ACCIDENT = "ACCIDENT"
    WARRANTY = "WARRANTY"


class TagCategory(StrEnum):
    BASIC = "BASIC"
    BEHAVIOR = "BEHAVIOR"
    CONSUMPTION = "CONSUMPTION"
    PREDICTION = "PREDICTION"
    MANUAL = "MANUAL"


class TagSource(StrEnum):
    MANUAL = "MANUAL"
    RULE = "RULE"
    EXTRACTOR = "EXTRACTOR"
    IMPORT = "IMPORT"
    GENERATED = "GENERATED"  # kept current by the portrait refresh (server/portrait/tagging.py)


class TaskKind(StrEnum):
    FOLLOW_UP = "FOLLOW_UP"
    BIRTHDAY = "BIRTHDAY"
    PURCHASE_ANNIVERSARY = "PURCHASE_ANNIVERSARY"
    MAINTENANCE_DUE = "MAINTENANCE_DUE"
    INSURANCE_RENEWAL = "INSURANCE_RENEWAL"
    DORMANT_WAKE_UP = "DORMANT_WAKE_UP"
    STOCK_ARRIVAL = "STOCK_ARRIVAL"
    ASSIGNED = "ASSIGNED"
    OTHER = "OTHER"


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class SourceRecordStatus(StrEnum):
    CREATED = "CREATED"
    MERGED = "MERGED"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    REJECTED = "REJECTED"


class CandidateStatus(StrEnum):
    OPEN = "OPEN"
    MERGED = "MERGED"
    DISMISSED = "DISMISSED"


class TokenScope(StrEnum):
    READ = "read"
    WRITE = "write"
    INGEST = "ingest"
    REVEAL = "reveal"
    ADMIN = "admin"


class AssignmentStrategy(StrEnum):
    ROUND_ROBIN = "ROUND_ROBIN"
    LEAST_LOADED = "LEAST_LOADED"


class OwnershipChangeKind(StrEnum):
    ROUTE = "ROUTE"  # a new lead routed by an assignment rule
    ASSIGN = "ASSIGN"  # a manager gave the customer to someone
    CLAIM = "CLAIM"  # a consultant took the customer from the pool
    RETURN = "RETURN"  # someone put the customer back in the pool
    AUTO_RETURN = "AUTO_RETURN"  # the scheduled pass put it back: not followed up in time


class TemplateKind(StrEnum):
    TALKING_POINT = "TALKING_POINT"  # 话术: what to say on a call or in the showroom
    MESSAGE = "MESSAGE"  # 消息模板: a text to send, e.g. on WeChat
