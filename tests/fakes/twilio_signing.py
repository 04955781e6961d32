"""Sign a webhook request the way Twilio does (X-Twilio-Signature), for inbound-SMS tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from multidict import MultiDict
from twilio.request_validator import RequestValidator


def sign(
    auth_token: str,
    url: str,
    params: Mapping[str, str | Sequence[str]] | None = None,
    algorithm: str | None = None,
) -> str:
    """The X-Twilio-Signature for a POST of form `params` to `url`, by twilio's own code.

    A value may be a list for a repeated form field (e.g. several ``MediaUrl``).
    """
    pairs: MultiDict[str] = MultiDict()
    for key, value in (params or {}).items():
        for item in [value] if isinstance(value, str) else value:
            pairs.add(key, item)
    return str(RequestValidator(auth_token).compute_signature(url, pairs, algorithm))
