"""How report figures and group keys read in a language: percents, group names, split names."""

from __future__ import annotations

import re
from typing import Any

from messages import Texts
from storage.outcome_report import NO_GROUP, UNKNOWN


def percent(share: float | None, language: str = "sv") -> str:
    """0.625 -> "62,5" in Swedish, "62.5" in English (one decimal); None -> ""."""
    if share is None:
        return ""
    text = f"{share * 100:.1f}"
    return text.replace(".", ",") if language == "sv" else text


def group_name(t: Texts, by: str, row: dict[str, Any]) -> str:
    """The name staff know for a row of a split: never a slug."""
    group = str(row["group"])
    if group == UNKNOWN:
        return t("staff.report.unknown")
    if group == NO_GROUP:
        return t("staff.report.no_source" if by == "source" else "staff.report.no_group")
    key = f"staff.report.{by}.{group}"
    if by in ("gender", "age", "group", "reason", "extent", "employment", "school") \
            and t.has(key):
        return t(key)
    return str(row.get("name") or group)


def funnel_group_name(t: Texts, group: dict[str, Any]) -> str:
    """A funnel group's name: everyone, no source, not given, or the group's own name."""
    if group["key"] == "all":
        return t("staff.report.total")
    if group["key"] in ("none", "unknown"):
        return t("staff.report.no_source" if group["key"] == "none" else "staff.report.unknown")
    return str(group["name"])


def pending_sentence(t: Texts, total: dict[str, Any]) -> str:
    """The surveys still open, as a sentence: a number only when it is 0 or shown (never a
    hidden 1-4), else "some"."""
    if total.get("masked"):
        return ""
    value = total.get("pending")
    if value is None:
        return t("staff.report.pending.some")
    return t("staff.report.pending.none") if value == 0 else t("staff.report.pending.count",
                                                                 count=value)


def split_name(t: Texts, by: str) -> str:
    return t(f"staff.report.sheet.{by}")


def sheet_title(text: str) -> str:
    """A worksheet title Excel accepts: none of []:*?/\\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31]


def split_note(t: Texts, by: str) -> str:
    """What a split's rows are, when they are not a plain partition of everyone."""
    if by == "group":
        return t("staff.report.several_groups")
    if by in ("extent", "employment"):
        return t("staff.report.among_work")
    if by == "school":
        return t("staff.report.among_studies")
    return ""
