"""How personal fields look to someone who has not revealed them."""


def national_phone(e164: str | None) -> str:
    if not e164:
        return ""
    return e164[3:] if e164.startswith("+86") else e164


def mask_phone(e164: str | None) -> str:
    """'+8613800138000' → '138****8000'."""
    number = national_phone(e164)
    if len(number) < 7:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_id_number(number: str | None) -> str:
    """Keep the region prefix and the last four: '110101********123X'."""
    if not number:
        return ""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return email or ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"
