"""Reports without personal data: the three-month outcome table, its chart, CSV and XLSX, the funnel.

Staff without the admin role choose among fixed periods (reporting years and their
quarters), so no two reports can be subtracted; admins may choose any dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from bot.charts import funnel_chart, outcome_chart
from bot.report_csv import funnel_csv, outcome_csv
from bot.report_labels import group_name, pending_sentence, percent, split_note
from bot.web.dashboard.core import ADMIN, ANALYST, Pages, Staff, render, services_of
from storage.funnel import GROUPINGS, STEPS, WALK_IN_STEPS, funnel
from storage.outcome_report import CHANCES_TARGET, SPLITS, outcome_reports
from storage.periods import Period, default_period, fixed_periods, previous, reporting_year

pages = Pages()  # this area's pages, listed in bot/root.py

pages.nav("/staff/reports/outcomes", "staff.web.nav.outcomes", ANALYST, ADMIN)
pages.nav("/staff/reports/funnel", "staff.web.nav.funnel", ANALYST, ADMIN)


def _parse_period(text: str) -> Period | None:
    first, _, last = text.partition("..")
    try:
        period = Period(date.fromisoformat(first), date.fromisoformat(last))
    except ValueError:
        return None
    return period if period.start <= period.end else None


def choose_period(request: web.Request, staff: Staff, default: Period | None
                  ) -> tuple[Period | None, list[Period], bool]:
    """The period asked for, the fixed periods on offer, and False when what was asked
    for was unreadable or not allowed (the default is used then)."""
    today = staff.now().astimezone(services_of(request).settings.zone).date()
    offered = fixed_periods(today)
    asked = request.query.get("period", "")
    if asked:
        period = _parse_period(asked)
        if period is not None and (staff.is_admin or period in offered):
            return period, offered, True
        return default, offered, False
    if staff.is_admin and (request.query.get("from") or request.query.get("to")):
        try:
            first = date.fromisoformat(request.query.get("from") or "")
            last = date.fromisoformat(request.query.get("to") or "")
        except ValueError:
            return default, offered, False
        if first > last:  # refused, as the CLI refuses it: the default, as the page says
            return default, offered, False
        return Period(first, last), offered, True
    if request.query.get("from") or request.query.get("to"):
        return default, offered, False  # only admins choose their own dates
    return default, offered, True


def _default_cohort(request: web.Request, staff: Staff) -> Period:
    """The same default as the CLI's: the latest reporting year whose surveys had time."""
    settings = services_of(request).settings
    today = staff.now().astimezone(settings.zone).date()
    return default_period(today, settings.survey_delay_days)


async def _reports(request: web.Request, staff: Staff, splits: tuple[str, ...] | None = None
                   ) -> tuple[dict[str, dict[str, Any]], str, list[Period], bool]:
    period, offered, ok = choose_period(request, staff, _default_cohort(request, staff))
    assert period is not None
    by = request.query.get("by", "gender")
    by = by if by in SPLITS else "gender"
    async with services_of(request).db.transaction() as session:
        reports = await outcome_reports(session, period.start, period.end, splits or (by,))
    return reports, by, offered, ok


def _query(report: dict[str, Any]) -> str:
    return f"period={report['cohort']['from']}..{report['cohort']['to']}&by={report['by']}"


def _language(request: web.Request, staff: Staff) -> str:
    lang = request.query.get("lang", staff.language)
    return lang if lang in ("sv", "en") else "sv"


@pages.page("GET", "/staff/reports/outcomes", ANALYST, ADMIN)
async def outcomes(request: web.Request, staff: Staff) -> web.StreamResponse:
    reports, by, offered, ok = await _reports(request, staff)
    report = reports[by]
    target = services_of(request).settings.outcome_target
    return render(request, staff, "staff/outcomes.html", report=report, splits=SPLITS,
                  query=_query(report), target=CHANCES_TARGET, bad_dates=not ok,
                  periods=offered, chosen=f"{report['cohort']['from']}..{report['cohort']['to']}",
                  label=lambda row: group_name(staff.texts, by, row),
                  note=split_note(staff.texts, by),
                  pct=lambda share: "–" if share is None else percent(share, staff.language) + " %",
                  city_target=target, pending=pending_sentence(staff.texts, report["total"]))


@pages.page("GET", "/staff/reports/outcomes.csv", ANALYST, ADMIN)
async def outcomes_csv(request: web.Request, staff: Staff) -> web.StreamResponse:
    reports, by, _, _ = await _reports(request, staff)
    report = reports[by]
    name = f"utfall-{report['cohort']['from']}-{report['cohort']['to']}-{by}.csv"
    return web.Response(body=outcome_csv(report, _language(request, staff)).encode("utf-8"),
                        content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@pages.page("GET", "/staff/reports/outcomes.xlsx", ANALYST, ADMIN)
async def outcomes_xlsx(request: web.Request, staff: Staff) -> web.StreamResponse:
    from bot.report_xlsx import outcome_workbook  # openpyxl: only when asked

    reports, by, _, _ = await _reports(request, staff, SPLITS)
    cohort = reports[by]["cohort"]
    earlier = previous(Period(date.fromisoformat(cohort["from"]), date.fromisoformat(cohort["to"])))
    async with services_of(request).db.transaction() as session:
        before = await outcome_reports(session, earlier.start, earlier.end, SPLITS)
    target = services_of(request).settings.outcome_target
    body = outcome_workbook(reports, before, None if target is None else target / 100,
                            staff.now(), _language(request, staff))
    name = f"utfall-{cohort['from']}-{cohort['to']}.xlsx"
    return web.Response(body=body, content_type="application/vnd.openxmlformats-officedocument"
                        ".spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@pages.page("GET", "/staff/reports/outcomes.png", ANALYST, ADMIN)
async def outcomes_png(request: web.Request, staff: Staff) -> web.StreamResponse:
    reports, by, _, _ = await _reports(request, staff)
    return web.Response(body=outcome_chart(reports[by], CHANCES_TARGET, staff.language),
                        content_type="image/png")


async def _funnel(request: web.Request, staff: Staff
                  ) -> tuple[dict[str, Any], list[Period], bool]:
    by = request.query.get("by", "none")
    today = staff.now().astimezone(services_of(request).settings.zone).date()
    default = None if staff.is_admin else reporting_year(today)
    period, offered, ok = choose_period(request, staff, default)
    async with services_of(request).db.transaction() as session:
        report = await funnel(session, by if by in GROUPINGS else "none", period,
                              services_of(request).settings.zone)
    return report, offered, ok


@pages.page("GET", "/staff/reports/funnel", ANALYST, ADMIN)
async def funnel_page(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Reached to three-month outcome, each step split by gender with women's share."""
    report, offered, ok = await _funnel(request, staff)
    widest = max((step["total"] or 0 for step in report["total"]["steps"]), default=0) or 1
    period = report["period"]
    return render(request, staff, "staff/funnel.html", report=report, groupings=GROUPINGS,
                  steps=STEPS, walk_in_steps=WALK_IN_STEPS, widest=widest, periods=offered,
                  bad_dates=not ok,
                  chosen=f"{period['from']}..{period['to']}" if period else "")


@pages.page("GET", "/staff/reports/funnel.csv", ANALYST, ADMIN)
async def funnel_csv_file(request: web.Request, staff: Staff) -> web.StreamResponse:
    report, _, _ = await _funnel(request, staff)
    return web.Response(body=funnel_csv(report, _language(request, staff)).encode("utf-8"),
                        content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition":
                                 f'attachment; filename="tratt-{report["by"]}.csv"'})


@pages.page("GET", "/staff/reports/funnel.png", ANALYST, ADMIN)
async def funnel_png(request: web.Request, staff: Staff) -> web.StreamResponse:
    """The funnel drawn as the CLI's --png draws it: one panel per group of the split."""
    report, _, _ = await _funnel(request, staff)
    return web.Response(body=funnel_chart(report, _language(request, staff)),
                        content_type="image/png")
