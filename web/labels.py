"""What users read for the schema's enum values. Values are stable English identifiers;
their labels are English msgids, translated through the catalog like any other text."""


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


LABELS: dict[str, dict[str, str]] = {
    "templateKind": {
        "TALKING_POINT": N_("Talking point"),
        "MESSAGE": N_("Message template"),
    },
    "opportunityStage": {
        "INITIAL_CONTACT": N_("Initial contact"),
        "NEEDS_CONFIRMED": N_("Needs confirmed"),
        "PRESENTATION": N_("Product presentation"),
        # Its own msgid: the stage is 试驾体验, the interaction kind just 试驾.
        "TEST_DRIVE": N_("Test drive experience"),
        "NEGOTIATION": N_("Quote and negotiation"),
        "CONTRACT": N_("Contract signed"),
    },
    "opportunityStatus": {
        "OPEN": N_("Open"),
        "WON": N_("Won"),
        "LOST": N_("Lost (defeated)"),
    },
    "lifecycle": {
        "LEAD": N_("Lead"),
        "PROSPECT": N_("Prospect"),
        "CUSTOMER": N_("Existing customer"),
        "DORMANT": N_("Dormant"),
        "LOST": N_("Lost"),
    },
    "intent": {
        "STRONG": N_("Strong intent"),
        "MEDIUM": N_("Medium intent"),
        "WATCHING": N_("Watching"),
    },
    "grade": {
        "A": N_("Grade A"),
        "B": N_("Grade B"),
        "C": N_("Grade C"),
        "D": N_("Grade D"),
    },
    "valueTier": {
        "HIGH": N_("High value"),
        "MEDIUM": N_("Medium value"),
        "POTENTIAL": N_("Potential value"),
    },
    "channel": {
        "WEBSITE": N_("Website"),
        "SHOWROOM": N_("Showroom"),
        "PHONE": N_("Phone"),
        "WECHAT": N_("WeChat"),
        "WEIBO": N_("Weibo"),
        "DOUYIN": N_("Douyin"),
        "EMAIL": N_("Email"),
        "AUTO_SHOW": N_("Auto show"),
        "REFERRAL": N_("Referral"),
        "THIRD_PARTY": N_("Third-party sites (Autohome, Dongchedi …)"),
        "IMPORT": N_("Import"),
        "OTHER": N_("Other"),
    },
    "decisionRole": {
        "DECISION_MAKER": N_("Decision maker"),
        "INFLUENCER": N_("Influencer"),
        "USER": N_("User of the car"),
        "FINANCE_APPROVER": N_("Finance approver"),
        "GATEKEEPER": N_("Gatekeeper"),
        "CHAMPION": N_("Champion"),
    },
    "interactionKind": {
        "CALL": N_("Call"),
        "VISIT": N_("Visit"),
        "TEST_DRIVE": N_("Test drive"),
        "MESSAGE": N_("WeChat / message"),
        "EMAIL": N_("Email"),
        "SURVEY": N_("Survey"),
        "NOTE": N_("Note"),
    },
    "direction": {
        "INBOUND": N_("Inbound"),
        "OUTBOUND": N_("Outbound"),
    },
    "taskKind": {
        "FOLLOW_UP": N_("Follow-up"),
        "BIRTHDAY": N_("Birthday"),
        "PURCHASE_ANNIVERSARY": N_("Purchase anniversary"),
        "MAINTENANCE_DUE": N_("Maintenance due"),
        "INSURANCE_RENEWAL": N_("Insurance renewal"),
        "DORMANT_WAKE_UP": N_("Dormant wake-up"),
        "STOCK_ARRIVAL": N_("Stock arrival"),
        "ASSIGNED": N_("Newly assigned"),
        "OTHER": N_("Other"),
    },
    "gender": {
        "MALE": N_("Male"),
        "FEMALE": N_("Female"),
        "UNKNOWN": N_("Unknown"),
    },
    "tagSource": {
        "MANUAL": N_("Added by hand"),
        "RULE": N_("Added by a rule"),
        "EXTRACTOR": N_("Found in notes"),
        "IMPORT": N_("Imported"),
        "GENERATED": N_("From the customer's data"),
    },
    "importStatus": {
        "QUEUED": N_("Waiting to start"),
        "RUNNING": N_("Importing"),
        "DONE": N_("Finished"),
        "FAILED": N_("Failed"),
    },
    # A row in an import's problem list.
    "problemStatus": {
        "REJECTED": N_("Not imported"),
        "FLAGGED": N_("Imported, a value dropped"),
    },
    "sourceRecordStatus": {
        "CREATED": N_("Created the customer"),
        "MERGED": N_("Merged in"),
        "NEEDS_REVIEW": N_("Sent to duplicate review"),
        "REJECTED": N_("Rejected"),
    },
    "candidateStatus": {
        "OPEN": N_("Waiting for review"),
        "MERGED": N_("Merged"),
        "DISMISSED": N_("Not the same person"),
    },
    # Why two customers may be one person: the matcher's reasons, as it words them.
    "testDriveStatus": {
        "BOOKED": N_("Booked"),
        "DONE": N_("Done"),
        "NO_SHOW": N_("No-show"),
        "CANCELLED": N_("Cancelled"),
    },
    "candidateReason": {
        "same name, phone one digit or one transposition apart": N_("Same name, phone numbers one digit apart"),
        "same name and birthday": N_("Same name and birthday"),
        "same pinyin and phone tail": N_("Same pinyin and last four digits of the phone"),
        "same name and address": N_("Same name and address"),
    },
}

# The big buttons on the customer page: log one of these in two taps. The channel says
# through what the contact happened; a WeChat message is the usual "message" here.
QUICK_KINDS = [
    ("CALL", "PHONE", N_("Call")),
    ("VISIT", "SHOWROOM", N_("Visit")),
    ("MESSAGE", "WECHAT", N_("WeChat")),
    ("TEST_DRIVE", "SHOWROOM", N_("Test drive")),
    ("NOTE", None, N_("Note")),
]


def label(gettext, kind: str, value: str | None) -> str:
    """The translated label of enum `value` of `kind` ('lifecycle', 'channel' …); '' for None."""
    if value is None:
        return ""
    text = LABELS[kind].get(value)
    return gettext(text) if text else value


def options(gettext, kind: str) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a select, in the schema's order."""
    return [(value, gettext(text)) for value, text in LABELS[kind].items()]

# 异议 categories offered on the deal page. The API takes any short text and integrators send
# Chinese (价格, 续航 …), so the stored value is the Chinese word; its label is translated.
OBJECTION_CATEGORIES = {
    "价格": N_("Price"),
    "配置": N_("Features and trim"),
    "续航/油耗": N_("Range / fuel economy"),
    "品牌": N_("Brand"),
    "交付时间": N_("Delivery time"),
    "金融方案": N_("Financing"),
    "其他": N_("Other"),
}
