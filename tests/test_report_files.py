"""The files the city pastes: Swedish CSV, the XLSX in the city's layout, names never slugs."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from bot.report_csv import outcome_csv
from bot.report_labels import sheet_title
from bot.report_xlsx import outcome_workbook
from storage.export_safety import safe_cell
from storage.outcome_report import SPLITS, Case, build_reports
from storage.periods import cohort_year

YEAR = cohort_year(2025)
DAY = date(2026, 1, 15)


def cases(count: int, gender: str | None, category: str | None = "arbete", **extra) -> list[Case]:
    return [Case(ended_on=DAY, reason=extra.get("reason", "arbete"), survey="answered",
                 category=category, better_chances="ja", gender=gender,
                 unit=extra.get("unit", "jarva"), district=extra.get("district", "rinkeby-kista"),
                 source=extra.get("source"), programme=extra.get("programme"))
            for _ in range(count)]


COHORT = [*cases(10, "kvinna"), *cases(5, "kvinna", "studier"), *cases(5, "kvinna", "annat"),
          *cases(10, "man"), *cases(5, "man", "studier"), *cases(5, "man", "annat"),
          *cases(6, "annat", "annat", source="=HYPERLINK(\"http://x\")")]
NAMES = {"jarva": "Jobbtorg Järva", "rinkeby-kista": "Rinkeby-Kista",
         "stockholmsjobb": "Stockholmsjobb"}


def reports() -> dict:
    return build_reports(COHORT, SPLITS, YEAR.start, YEAR.end, NAMES)


def test_the_csv_is_swedish_with_semicolons_a_bom_and_one_decimal_percent():
    text = outcome_csv(reports()["gender"])
    assert text.startswith("\ufeff")
    lines = text.removeprefix("\ufeff").splitlines()
    header = lines[0].split(";")
    assert header[:6] == ["Indelning", "Grupp", "Från", "Till", "Avslutade", "Svarat"]
    assert "Andel i arbete eller studier av svarat (%)" in header  # the denominator stated
    women = dict(zip(header, lines[1].split(";"), strict=True))
    assert (women["Indelning"], women["Grupp"], women["Avslutade"]) == ("Kön", "Kvinnor", "20")
    assert women["Andel i arbete eller studier av svarat (%)"] == "75,0"
    other = dict(zip(header, lines[3].split(";"), strict=True))
    assert (other["Grupp"], other["Avslutade"], other["Dolt"]) == ("Annat kön", "6", "")
    assert lines[-1].split(";")[1] == "Totalt"


def test_the_english_csv_has_commas_and_decimal_points():
    lines = outcome_csv(reports()["gender"], "en").removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("split,group,from,to,avslut,answered")
    assert ",Women," in lines[1] and ",75.0," in lines[1]


def test_a_csv_name_that_looks_like_a_formula_is_written_as_text():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-2") == "'-2" and safe_cell(5) == 5
    assert safe_cell("Rinkeby-Kista") == "Rinkeby-Kista"
    text = outcome_csv(reports()["source"])
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


def test_every_split_shows_names_not_slugs():
    found = reports()
    assert [r["name"] for r in found["unit"]["rows"]] == ["Jobbtorg Järva"]
    assert "Rinkeby-Kista" in outcome_csv(found["district"])
    assert "jarva" not in outcome_csv(found["unit"])
    grouped = [Case(ended_on=DAY, reason="arbete", survey="answered", category="arbete",
                    groups=("ingang-20-29", "kvinnor-langt-fran-arbetsmarknaden"), person=i)
               for i in range(6)]
    text = outcome_csv(build_reports(grouped, ("group",), YEAR.start, YEAR.end, NAMES)["group"])
    assert ";Ingång 20–29;" in text and ";Kvinnor långt från arbetsmarknaden;" in text


def test_a_sheet_title_has_no_slash_and_at_most_31_characters():
    assert sheet_title("Heltid/deltid") == "Heltid-deltid"
    assert len(sheet_title("x" * 40)) == 31


def test_the_workbook_has_the_city_layout_on_a_sheet_per_split():
    created = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
    data = outcome_workbook(reports(), None, 0.55, created)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Totalt", "Ålder", "Stadsdel", "Jobbtorg", "Källa", "Målgrupp",
                               "Avslutsorsak", "Insats", "Heltid och deltid", "Anställningsform",
                               "Skolform"]
    assert all("/" not in name and len(name) <= 31 for name in book.sheetnames)
    assert book.properties.created == created.replace(tzinfo=None)
    assert book.properties.modified == created.replace(tzinfo=None)
    sheet = book["Totalt"]
    texts = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert texts[0] == "Andel i arbete eller studier tre månader efter avslut"
    assert texts[1] == "Period: 2025-09-01 – 2026-08-31"
    assert any(str(t).startswith("Nämnare: de som svarat") for t in texts)
    header = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Kvinnor")
    assert header[:7] == ("Grupp", "Kvinnor", "Män", "Annat eller ej angivet", "Totalt",
                          "Totalt föregående period", "Mål")
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    # Kvinnor + Män + Annat eller ej angivet = Totalt
    assert rows["Avslutade"][1:5] == (20, 20, 6, 46)
    assert rows["Svarat"][1:5] == (20, 20, 6, 46)
    assert rows["Ej svarat (än)"][1:5] == (0, 0, 0, 0)
    assert rows["Svarsfrekvens av avslutade (%)"][4] == 100.0  # svarat / avslutade
    assert rows["I arbete"][1:5] == (10, 10, 0, 20)
    assert rows["Unika personer"][1:5] == (20, 20, 6, 46)  # erased or unknown: one per avslut
    share = rows["Andel i arbete eller studier av svarat (%)"]
    assert share[1:5] == (75.0, 75.0, 0.0, round(30 / 46 * 100, 1)) and share[6] == 55.0
    assert "Svarat på frågan om ökade chanser" in rows
    assert rows["Andel som fått ökade chanser av dem som svarat på frågan (%)"][6] == 67.0
    assert "Mål: 55 %" in texts
    source = book["Källa"]
    values = [cell.value for row in source.iter_rows() for cell in row if cell.value]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert all(cell.data_type != "f" for row in source.iter_rows() for cell in row)


def test_the_workbook_puts_the_previous_period_beside_and_masks_with_a_dash():
    before = build_reports(COHORT[:20], SPLITS, date(2024, 9, 1), date(2025, 8, 31), NAMES)
    later = [*cases(10, "kvinna"), *cases(3, "man")]
    now = build_reports(later, SPLITS, YEAR.start, YEAR.end, NAMES)
    book = load_workbook(io.BytesIO(outcome_workbook(now, before, None,
                                                     datetime(2026, 11, 29, tzinfo=UTC))))
    rows = {row[0]: row for row in book["Totalt"].iter_rows(values_only=True) if row[0]}
    # men 3: masked, and so women (a column of zeros is shown: it hides nobody)
    assert rows["Avslutade"][1:6] == ("–", "–", 0, 13, 0)
    assert "Mål: ej angivet (JOBBTORG_OUTCOME_TARGET)" in rows  # no target set: said so


def test_heltid_and_deltid_are_counted_among_those_in_work():
    cohort = [*[Case(ended_on=DAY, reason="arbete", survey="answered", category="arbete",
                     extent="heltid", gender="kvinna", person=i) for i in range(6)],
              *[Case(ended_on=DAY, reason="arbete", survey="answered", category="arbete",
                     extent="deltid", gender="kvinna", person=10 + i) for i in range(5)],
              *[Case(ended_on=DAY, reason="studier", survey="answered", category="studier",
                     school="komvux", gender="kvinna", person=20 + i) for i in range(5)]]
    found = build_reports(cohort, ("extent", "school"), YEAR.start, YEAR.end)
    assert [(r["group"], r["people"]) for r in found["extent"]["rows"]] == [
        ("heltid", 6), ("deltid", 5), ("ej-i-arbete", 5)]
    assert [(r["group"], r["people"]) for r in found["school"]["rows"]] == [
        ("komvux", 5), ("ej-i-studier", 11)]
    assert found["extent"]["total"]["unique_people"] == 16
    text = outcome_csv(found["extent"])
    assert ";Heltid;" in text and ";Inte i arbete;" in text


def test_the_terminal_table_names_groups_hides_masked_rows_and_states_the_denominator(capsys):
    from bot.commands.report_outcomes import show

    show(reports()["district"], "sv")
    printed = capsys.readouterr().out
    assert "Rinkeby-Kista" in printed and "rinkeby-kista" not in printed
    assert "Nämnare: de som svarat på enkäten" in printed
    show(build_reports([*cases(10, "kvinna"), *cases(3, "man")], SPLITS, YEAR.start, YEAR.end,
                       NAMES)["gender"], "en")
    printed = capsys.readouterr().out
    men = next(line for line in printed.splitlines() if line.strip().startswith("Men"))
    assert men.split()[1:] == ["–"] * 8  # masked: every figure a dash, none shown
    assert "Denominator: those who answered the survey" in printed


def test_the_workbook_prints_one_page_wide_and_names_the_previous_period():
    before = build_reports(cases(12, "kvinna", district="farsta"), SPLITS, date(2024, 9, 1),
                           date(2025, 8, 31), {**NAMES, "farsta": "Farsta"})
    book = load_workbook(io.BytesIO(outcome_workbook(reports(), before, 0.55,
                                                     datetime(2026, 11, 29, tzinfo=UTC))))
    sheet = book["Stadsdel"]
    texts = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert texts[2] == "Föregående period: 2024-09-01 – 2025-08-31"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert any(str(r) == "A5:G5" for r in sheet.merged_cells.ranges)  # the denominator, wrapped
    assert sheet["A5"].alignment.wrap_text and sheet.row_dimensions[5].height >= 30
    rows = [row for row in sheet.iter_rows(values_only=True)]
    start = texts.index("Rinkeby-Kista")
    assert rows[start + 1][:6] == ("Avslutade", 20, 20, 6, 46, 0)  # nobody there before: 0
    assert sheet.freeze_panes == "B" + str(texts.index("Grupp") + 2)
    masked = build_reports([*cases(10, "kvinna"), *cases(3, "man")], SPLITS, YEAR.start,
                           YEAR.end, NAMES)
    hidden = load_workbook(io.BytesIO(outcome_workbook(
        masked, None, None, datetime(2026, 11, 29, tzinfo=UTC))))["Totalt"]
    dashes = [cell for row in hidden.iter_rows() for cell in row if cell.value == "–"]
    assert dashes and all(cell.alignment.horizontal == "right" for cell in dashes)


def test_a_piped_table_is_printed_whole_at_its_own_width(capsys, monkeypatch):
    from bot.commands.report_outcomes import show

    monkeypatch.setenv("COLUMNS", "60")  # narrower than the table: never cut to it
    long = "Tensta bibliotek och medborgarkontor, ingången från torget"
    report = build_reports([*cases(20, "kvinna", source=long), *cases(20, "man", source=long)],
                           SPLITS, YEAR.start, YEAR.end, NAMES)["source"]
    show(report, "sv")
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if long in line)  # the name whole, on one line
    assert row.split()[-8:] == ["40", "40", "0", "100,0", "40", "0", "100,0", "100,0"]
    assert any("Ökade chanser (%; mål 67 %)" in line for line in lines)  # a header never cut


def test_the_funnel_table_is_swedish_by_default_and_english_when_asked(capsys):
    from bot.commands.report_funnel import show
    from storage.funnel import build_funnel

    report = build_funnel([], "none", None, {})
    show(report)
    swedish = capsys.readouterr().out
    assert "Steg" in swedish and "Andel kvinnor" in swedish and "Totalt" in swedish
    assert "reached" not in swedish and "women's share" not in swedish
    show(report, "en")
    english = capsys.readouterr().out
    assert "Women's share" in english and "Steg" not in english


def test_the_default_period_is_the_latest_reporting_year_whose_surveys_had_time():
    from storage.periods import default_period

    assert default_period(date(2026, 12, 1), 90) == cohort_year(2025)
    assert default_period(date(2026, 11, 1), 90) == cohort_year(2024)  # 2026's not done
    assert default_period(date(2026, 9, 1), 0) == cohort_year(2025)


def test_the_masking_is_stated_as_the_rule_not_as_groups_under_five():
    from messages import Texts

    for language in ("sv", "en"):
        t = Texts(language)
        for key in ("staff.report.masking", "staff.outcomes.masked", "staff.web.outcomes.intro"):
            assert "5" not in t(key) and "fem" not in t(key) and "five" not in t(key)
        assert "1–4" in t("staff.report.masking") and "1–4" in t("staff.outcomes.masked")
