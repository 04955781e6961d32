"""Charts for staff reports as PNG images (matplotlib, no display needed)."""

from __future__ import annotations

import io
from typing import Any

from bot.report_labels import funnel_group_name, group_name, pending_sentence
from messages import Texts

WORK_COLOUR = "#1f5fa8"  # Stockholm blue
CHANCES_COLOUR = "#e0a400"
MASKED_COLOUR = "#bbbbbb"
WOMEN_COLOUR, MEN_COLOUR, OTHER_COLOUR, HIDDEN_COLOUR = "#1f5fa8", "#e0a400", "#bbbbbb", "#dddddd"


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
    from matplotlib.figure import Figure  # slow to import: only when a chart is drawn

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
    # the target's label is in the legend under the chart, never over the title
    axes.axvline(target, color=CHANCES_COLOUR, linestyle="--", linewidth=1,
                 label=t("staff.outcomes.target", target=_percent(target, language)))
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.18)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"])
    axes.set_xlabel(t("staff.outcomes.share"))
    total = report["total"]
    subtitle = t("staff.outcomes.subtitle", start=report["cohort"]["from"],
                 end=report["cohort"]["to"], by=t(f"staff.outcomes.by.{report['by']}"),
                 answered="-" if total["masked"] else total["answered"],
                 people="-" if total["masked"] else total["people"],
                 rate=_percent(total["response_rate"], language))
    subtitle += " " + pending_sentence(t, total)
    axes.set_title(f"{t('staff.outcomes.title')}\n{subtitle}\n{t('staff.report.chart_denominator')}",
                   fontsize=11, loc="left")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=9,
                frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def funnel_chart(report: dict[str, Any], language: str = "sv") -> bytes:
    """Bars per step, women, men and the rest stacked; one panel per group of the split
    (the total first). Masked steps are drawn as a grey "hidden" bar."""
    t = Texts(language)
    groups = [report["total"], *report["groups"]]
    columns = 1 if len(groups) == 1 else 3
    lines = -(-len(groups) // columns)
    from matplotlib.figure import Figure  # slow to import: only when a chart is drawn

    figure = Figure(figsize=(9 if columns == 1 else 15, 4.2 * lines), dpi=100)
    names = [t(f"staff.report.funnel.step.{s}") for s in report["steps"]]
    for index, group in enumerate(groups):
        axes = figure.add_subplot(lines, columns, index + 1)
        steps = group["steps"]
        women = [s["women"] or 0 for s in steps]
        men = [s["men"] or 0 for s in steps]
        other = [s["other"] or 0 for s in steps]
        axes.bar(names, women, color=WOMEN_COLOUR, label=t("staff.report.gender.kvinna"))
        axes.bar(names, men, bottom=women, color=MEN_COLOUR, label=t("staff.report.gender.man"))
        axes.bar(names, other, bottom=[w + m for w, m in zip(women, men, strict=True)],
                 color=OTHER_COLOUR, label=t("staff.report.gender.other"))
        top = max([s["total"] or 0 for s in steps] + [1])
        for position, step in enumerate(steps):
            if step["masked"]:
                axes.bar(position, top, color=HIDDEN_COLOUR, hatch="//", edgecolor="#999999")
                axes.text(position, top / 2, t("staff.report.hidden"), rotation=90,
                          ha="center", va="center", fontsize=8)
        axes.set_title(funnel_group_name(t, group), fontsize=10, loc="left")
        axes.set_ylabel(t("staff.report.funnel.people"))
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        if index == 0:
            axes.legend(loc="upper right", fontsize=8)
    period = report.get("period")
    title = t("staff.report.funnel.title")
    if period:
        title += "\n" + t("staff.report.period", start=period["from"], end=period["to"])
    figure.suptitle(title + "\n" + t("staff.report.funnel.denominator"), fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()
