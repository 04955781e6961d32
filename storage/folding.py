"""The one accent-folding function: "lördag" -> "lordag", "Å" -> "A".

Every forgiving comparison (typed answers, keywords, dates, names, deep-link slugs)
folds with this, after its own case and space handling."""

from __future__ import annotations

import unicodedata


def fold_accents(text: str) -> str:
    """Drop the accents: decompose each letter and keep it without its marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
