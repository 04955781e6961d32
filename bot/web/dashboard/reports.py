"""Reports without personal data: the three-month outcome table, its chart and CSV, the funnel."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from aiohttp import web

from bot.charts import outcome_chart
from bot.commands.report_funnel import CSV_COLUMNS, rows_of
from bot.web.dashboard.core import (
    ADMIN,
    ANALYST,
    Staff,
    nav_item,
    page,
    render,
    services_of,
)
from storage.export_safety import SafeDictWriter
from storage.funnel import GROUPINGS, STEPS, funnel
from storage.outcome_report import CHANCES_TARGET, SPLITS, default_cohort, outcome_report, report_csv

nav_item("/staff/reports/outcomes", "staff.web.nav.outcomes", ANALYST, ADMIN)
nav_item("/staff/reports/funnel", "staff.web.nav.funnel", ANALYST, ADMIN)


def cohort(request: web.Request, staff: Staff) -> tuple[date, date, str, bool]:
    """The avslut dates and split asked for; the city's default cohort when not given.
    The last value is False when a given date was unreadable (the default is used)."""
    settings = services_of(request).settings
    first, last = default_cohort(staff.now(), settings.zone, settings.survey_delay_days)
    ok = True
    try:
        if request.query.get("from"):
            first = date.fromisoformat(request.query["from"])
        if request.query.get("to"):
            last = date.fromisoformat(request.query["to"])
    except ValueError:
        ok = False
    if first > last:
        first, last, ok = last, first, False
    by = request.query.get("by", "gender")
    return first, last, by if by in SPLITS else "gender", ok


async def _report(request: web.Request, staff: Staff) -> tuple[dict[str, Any], bool]:
    first, last, by, ok = cohort(request, staff)
    async with services_of(request).db.transaction() as session:
        return await outcome_report(session, first, last, by), ok


def _query(report: dict[str, Any]) -> str:
    return f"from={report['cohort']['from']}&to={report['cohort']['to']}&by={report['by']}"


@page("GET", "/staff/reports/outcomes", ANALYST, ADMIN)
async def outcomes(request: web.Request, staff: Staff) -> web.StreamResponse:
    report, ok = await _report(request, staff)
    return render(request, staff, "staff/outcomes.html", report=report, splits=SPLITS,
                  query=_query(report), target=CHANCES_TARGET, bad_dates=not ok)


@page("GET", "/staff/reports/outcomes.csv", ANALYST, ADMIN)
async def outcomes_csv(request: web.Request, staff: Staff) -> web.StreamResponse:
    report, _ = await _report(request, staff)
    name = f"utfall-{report['cohort']['from']}-{report['cohort']['to']}-{report['by']}.csv"
    return web.Response(text=report_csv(report), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@page("GET", "/staff/reports/outcomes.png", ANALYST, ADMIN)
async def outcomes_png(request: web.Request, staff: Staff) -> web.StreamResponse:
    report, _ = await _report(request, staff)
    return web.Response(body=outcome_chart(report, CHANCES_TARGET, staff.language),
                        content_type="image/png")


async def _funnel(request: web.Request) -> dict[str, Any]:
    by = request.query.get("by", "none")
    async with services_of(request).db.transaction() as session:
        return await funnel(session, by if by in GROUPINGS else "none")


@page("GET", "/staff/reports/funnel", ANALYST, ADMIN)
async def funnel_page(request: web.Request, staff: Staff) -> web.StreamResponse:
    """Reached to three-month outcome, each step split by gender with women's share."""
    report = await _funnel(request)
    widest = max((step["total"] for step in report["total"]["steps"]), default=0) or 1
    return render(request, staff, "staff/funnel.html", report=report, groupings=GROUPINGS,
                  steps=STEPS, widest=widest)


@page("GET", "/staff/reports/funnel.csv", ANALYST, ADMIN)
async def funnel_csv(request: web.Request, staff: Staff) -> web.StreamResponse:
    report = await _funnel(request)
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows_of(report):
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition":
                                 f'attachment; filename="tratt-{report["by"]}.csv"'})
