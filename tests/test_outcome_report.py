"""The outcome report over a synthetic cohort whose figures are known by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storage.outcome_report import (
    FIELDS,
    Case,
    build_report,
    default_cohort,
    figures,
    year_before,
)

START, END = date(2025, 9, 1), date(2026, 8, 31)
DAY = date(2026, 1, 15)


def cases(count: int, gender: str | None, survey: str = "answered", category: str | None = None,
          chances: str | None = None, staff: str | None = None, **extra: object) -> list[Case]:
    return [Case(ended_on=DAY, reason=str(extra.get("reason", "arbete")), survey=survey,
                 category=category, better_chances=chances, staff_category=staff,
                 gender=gender, groups=tuple(extra.get("groups", ())))  # type: ignore[arg-type]
            for _ in range(count)]


# Women: 12 people. 8 answered: 3 arbete, 2 studier, 1 praktik, 1 söker jobb and one in
# words nobody has classified yet; 3 unanswered (one of them with a coach-recorded
# arbete); 1 still pending. Chances: 5 ja, 1 delvis, 1 nej among those who answered it.
WOMEN = [
    *cases(3, "kvinna", category="arbete", chances="ja"),
    *cases(2, "kvinna", category="studier", chances="ja"),
    *cases(1, "kvinna", category="praktik", chances="delvis"),
    *cases(1, "kvinna", category="soker-jobb", chances="nej"),
    *cases(1, "kvinna", category=None),
    *cases(2, "kvinna", survey="unanswered"),
    *cases(1, "kvinna", survey="unanswered", staff="arbete"),
    *cases(1, "kvinna", survey="pending"),
]
# Men: 7 people. 4 answered: 2 arbete (ja, ja), 2 annat (nej, nej); 3 unanswered, one
# with a coach-recorded studier.
MEN = [
    *cases(2, "man", category="arbete", chances="ja"),
    *cases(2, "man", category="annat", chances="nej"),
    *cases(2, "man", survey="unanswered"),
    *cases(1, "man", survey="unanswered", staff="studier"),
]
OTHER = cases(2, "annat", category="arbete", chances="ja")  # under five: masked
UNKNOWN = [*cases(4, None, category="studier", chances="ja"),  # gender not given: 6 people
           *cases(2, None, survey="unanswered")]
COHORT = WOMEN + MEN + OTHER + UNKNOWN


def row(report: dict, group: str) -> dict:
    return next(r for r in report["rows"] if r["group"] == group)


def test_the_gender_split_has_the_hand_counted_figures():
    report = build_report(COHORT, "gender", START, END)
    assert report["cohort"] == {"from": "2025-09-01", "to": "2026-08-31"}
    assert report["by"] == "gender"
    assert [r["group"] for r in report["rows"]] == ["kvinna", "man", "annat", "ej-angivet"]
    women = figures("kvinna", WOMEN)  # the figures before masking
    assert {k: women[k] for k in ("people", "answered", "unanswered", "response_rate", "work",
                                  "studies", "work_or_studies_share", "better_chances_share",
                                  "masked")} == {
        "people": 12, "answered": 8, "unanswered": 4, "response_rate": 0.667, "work": 3,
        "studies": 2, "work_or_studies_share": 0.625, "better_chances_share": 0.714,
        "masked": False}
    assert (women["pending"], women["unclassified"], women["better_chances_answered"]) == (1, 1, 7)
    assert (women["staff_recorded"], women["staff_work"], women["staff_studies"]) == (1, 1, 0)
    # survey 5 of 8 in work or studies, plus the coach's one: 6 of 9
    assert women["all_sources_work_or_studies_share"] == 0.667
    men = figures("man", MEN)
    assert (men["people"], men["answered"], men["unanswered"], men["response_rate"]) == (
        7, 4, 3, 0.571)
    assert (men["work"], men["studies"], men["work_or_studies_share"],
            men["better_chances_share"]) == (2, 0, 0.5, 0.5)
    assert (men["staff_recorded"], men["staff_studies"]) == (1, 1)
    # three in work among the women is a count of 1-4: the whole row is masked, and so
    # is every other row; the total is shown, with its one pending survey hidden (a
    # running count of 1-4 is never shown, but does not blank the table)
    assert all(r["masked"] for r in report["rows"])
    total = report["total"]
    assert not total["masked"] and total["people"] == len(COHORT)
    assert total["pending"] is None


def big(count: int, gender: str | None, **extra: object) -> list[Case]:
    """`count` fives of people: in work, in studies, elsewhere, unanswered (all ja)."""
    return [*cases(5 * count, gender, category="arbete", chances="ja", **extra),
            *cases(5 * count, gender, category="studier", chances="ja", **extra),
            *cases(5 * count, gender, category="annat", chances="ja", **extra),
            *cases(5 * count, gender, survey="unanswered", **extra)]


def test_a_small_row_is_masked_whole_and_the_next_smallest_too():
    report = build_report([*big(2, "kvinna"), *big(1, "man"), *cases(3, "annat", category="annat")],
                          "gender", START, END)
    assert [r["masked"] for r in report["rows"]] == [False, True, True]
    other = row(report, "annat")
    assert all(other[k] is None for k in FIELDS if k not in ("group", "masked"))
    assert report["total"]["people"] == 40 + 20 + 3 and not report["total"]["masked"]


def test_masked_rows_summing_to_under_five_take_another_row():
    # annat 2 + ej angivet 2 = 4 people: the total would tell; men are masked too
    report = build_report([*big(2, "kvinna"), *big(1, "man"), *cases(2, "annat", survey="unanswered"),
                           *cases(2, None, survey="unanswered")], "gender", START, END)
    assert [r["masked"] for r in report["rows"]] == [False, True, True, True]


def test_gender_not_given_is_a_cell_like_any_other():
    report = build_report([*big(2, "kvinna"), *big(2, "man"), *cases(1, None, category="arbete")],
                          "gender", START, END)
    assert row(report, "ej-angivet")["masked"]
    assert sum(r["masked"] for r in report["rows"]) >= 2


def test_a_small_total_masks_everything():
    tiny = build_report(cases(4, "kvinna", category="arbete"), "gender", START, END)
    assert tiny["rows"][0]["masked"] and tiny["total"]["masked"]
    assert tiny["total"]["work_or_studies_share"] is None


def test_exactly_five_is_shown_and_shares_without_answers_are_null_not_zero():
    report = build_report(cases(5, "man", survey="unanswered"), "gender", START, END)
    men = report["rows"][0]
    assert not men["masked"] and men["people"] == 5 and men["answered"] == 0
    assert men["response_rate"] == 0.0
    assert men["work_or_studies_share"] is None and men["better_chances_share"] is None


def test_a_person_counts_in_each_of_their_target_groups_and_the_ungrouped_are_ingen():
    cohort = [*cases(5, "kvinna", category="arbete", groups=("kaa", "nyanland")),
              *cases(5, "man", category="studier", groups=("kaa",)),
              *cases(6, "man", category="annat")]
    report = build_report(cohort, "group", START, END)
    assert [(r["group"], r["people"]) for r in report["rows"]] == [
        ("kaa", 10), ("nyanland", 5), ("ingen", 6)]
    assert row(report, "kaa")["work_or_studies_share"] == 1.0
    assert report["total"]["people"] == 16


@pytest.mark.parametrize(("by", "groups"), [
    ("reason", ["arbete", "studier", "avbrutit"]),
    ("age", ["16-19", "25-29", "ej-angivet"]),
    ("unit", ["jarva", "sydost", "ej-angivet"]),
    ("source", ["Tensta bibliotek", "ingen"]),
])
def test_every_split_names_its_groups_in_a_stable_order(by, groups):
    base = dict(ended_on=DAY, survey="answered", category="arbete")
    cohort = [Case(reason="avbrutit", age_band=None, unit=None, source=None, **base)] * 5 + [
        Case(reason="studier", age_band="25-29", unit="sydost", source=None, **base)] * 5 + [
        Case(reason="arbete", age_band="16-19", unit="jarva", source="Tensta bibliotek",
             **base)] * 5
    report = build_report(cohort, by, START, END)
    assert [r["group"] for r in report["rows"]] == groups


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="--by must be one of"):
        build_report(COHORT, "shoe-size", START, END)


@pytest.mark.parametrize(("now", "delay", "cohort"), [
    (datetime(2026, 11, 29, 12, tzinfo=UTC), 90, (date(2025, 9, 1), date(2026, 8, 31))),
    (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), 1, (date(2025, 3, 2), date(2026, 3, 1))),
])
def test_the_default_cohort_is_the_twelve_months_ending_the_delay_before_today(now, delay,
                                                                               cohort):
    from zoneinfo import ZoneInfo

    # 2026-03-01 23:30 UTC is already 2 March in Stockholm
    assert default_cohort(now, ZoneInfo("Europe/Stockholm"), delay) == cohort


def test_a_year_before_a_leap_day_starts_on_the_first_of_march():
    assert year_before(date(2028, 2, 29)) == date(2027, 3, 1)


def test_unanswered_is_everyone_without_an_answer_and_the_rate_is_of_all_avslutade():
    # Ej svarat (än) = avslutade - svarat, open and never-asked surveys included, so the
    # open surveys are never avslutade - svarat - ej svarat (a hidden 1-4 pinned)
    cohort = [*cases(5, "kvinna", category="arbete"), *cases(2, "kvinna", survey="unanswered"),
              *cases(3, "kvinna", survey="not-asked"), *cases(1, "kvinna", survey="pending")]
    women = figures("kvinna", cohort)
    assert (women["people"], women["answered"], women["unanswered"], women["not_asked"],
            women["pending"]) == (11, 5, 6, 3, 1)
    assert women["response_rate"] == round(5 / 11, 3)
    shown = row(build_report(cohort, "gender", START, END), "kvinna")
    assert not shown["masked"] and shown["unanswered"] == 6  # the report's counts are 5 and up
    assert shown["pending"] is None and shown["not_asked"] is None  # running counts of 1-4


def test_a_period_of_zeros_is_shown_as_zeros_not_hidden():
    # the year has a masked quarter (3 people); the empty quarter is 0, never "Dolt"
    from storage.periods import cohort_year, quarters

    year = cohort_year(2025)
    first, _, third, _ = quarters(year)
    cohort = [*cases(12, "kvinna", category="arbete"), *cases(10, "man", category="arbete")]
    cohort += [Case(ended_on=first.start, reason="arbete", survey="answered", category="arbete",
                    gender="kvinna")] * 3
    empty = build_report(cohort, "gender", third.start, third.end)
    assert not empty["total"]["masked"] and empty["total"]["people"] == 0
    assert [r["people"] for r in empty["rows"]] == [0, 0] and not any(
        r["masked"] for r in empty["rows"])


def test_json_rows_carry_display_names_and_keep_the_slug_as_key():
    from storage.followup import TARGET_GROUPS

    cohort = [*cases(6, "kvinna", category="arbete", groups=("nyanland",), reason="arbete"),
              *cases(6, "man", category="arbete", groups=("ingang-20-29",), reason="studier"),
              *cases(6, None, category="arbete")]
    names = {"by": "group"}
    for by, expected in (("gender", {"kvinna": "Kvinnor", "man": "Män",
                                     "ej-angivet": "Ej angivet"}),
                         ("reason", {"arbete": "Arbete", "studier": "Studier"}),
                         ("group", {"nyanland": "Nyanlända", "ingang-20-29": "Ingång 20–29",
                                    "ingen": "Ingen målgrupp"})):
        report = build_report(cohort, by, START, END, dict(TARGET_GROUPS))
        assert {r["key"]: r["name"] for r in report["rows"]} == expected, names
    assert TARGET_GROUPS["ingang-20-29"] == "Ingång 20–29"  # the same name everywhere
    assert TARGET_GROUPS["nyanland"] == "Nyanlända"
