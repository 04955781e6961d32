"""Charts for staff reports as PNG images (matplotlib, no display needed)."""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure

from bot.report_labels import group_name
from messages import Texts

WORK_COLOUR = "#1f5fa8"  # Stockholm blue
CHANCES_COLOUR = "#e0a400"
MASKED_COLOUR = "#bbbbbb"


def _percent(share: float | None, language: str = "sv") -> str:
    """62,5 % in Swedish, 62.5 % in English; whole numbers without decimals."""
    if share is None:
        return "-"
    text = f"{share * 100:.1f}".removesuffix(".0")
    return (text.replace(".", ",") if language == "sv" else text) + " %"


def outcome_chart(report: dict[str, Any], target: float = 0.67, language: str = "sv") -> bytes:
    """Horizontal bars per group: the share in work or studies and the share answering
    "ja" to the chances question, each labelled with the share and n; masked groups are
    shown as hidden rather than left out, so a reader sees the whole split."""
    t = Texts(language)
    rows = [*report["rows"], {**report["total"], "group": t("staff.outcomes.total")}]
    labels = [group_name(t, report["by"], r) for r in report["rows"]] + [rows[-1]["group"]]
    height = 1.6 + 0.75 * len(rows)
    figure = Figure(figsize=(10, height), dpi=110)
    axes = figure.add_subplot()
    bar = 0.36
    positions = list(range(len(rows)))
    labelled = False
    for index, row in enumerate(rows):
        y = positions[index]
        if row["masked"]:
            axes.barh(y, 1.0, height=bar * 2, color=MASKED_COLOUR, alpha=0.3)
            axes.text(0.01, y, t("staff.outcomes.masked"), va="center", fontsize=9)
            continue
        work, chances = row["work_or_studies_share"], row["better_chances_share"]
        axes.barh(y - bar / 2, work or 0, height=bar, color=WORK_COLOUR,
                  label=None if labelled else t("staff.outcomes.work_or_studies"))
        axes.barh(y + bar / 2, chances or 0, height=bar, color=CHANCES_COLOUR,
                  label=None if labelled else t("staff.outcomes.better_chances"))
        labelled = True
        axes.text((work or 0) + 0.01, y - bar / 2,
                  f"{_percent(work, language)}  (n={row['answered']})", va="center", fontsize=9)
        axes.text((chances or 0) + 0.01, y + bar / 2,
                  f"{_percent(chances, language)}  (n={row['better_chances_answered']})",
                  va="center", fontsize=9)
    axes.axvline(target, color=CHANCES_COLOUR, linestyle="--", linewidth=1)
    axes.text(target, -0.9, t("staff.outcomes.target", target=_percent(target, language)),
              color="#8a6500", fontsize=8, ha="center")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.18)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"])
    axes.set_xlabel(t("staff.outcomes.share"))
    total = report["total"]
    subtitle = t("staff.outcomes.subtitle", start=report["cohort"]["from"],
                 end=report["cohort"]["to"], by=t(f"staff.outcomes.by.{report['by']}"),
                 answered="-" if total["masked"] else total["answered"],
                 people="-" if total["masked"] else total["answered"] + total["unanswered"],
                 rate=_percent(total["response_rate"], language))
    axes.set_title(f"{t('staff.outcomes.title')}\n{subtitle}\n{t('staff.report.chart_denominator')}",
                   fontsize=11, loc="left")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=9,
                frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
