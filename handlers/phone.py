"""The one phone-number normaliser: any common Swedish or international way of writing a number to E.164."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "SE"


def e164(text: str, region: str = DEFAULT_REGION) -> str | None:
    """'070-123 45 67', '+46 70 123 45 67', '0046701234567' -> '+46701234567'; None when
    it is no valid phone number."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
