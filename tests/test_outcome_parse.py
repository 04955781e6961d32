"""Tests for handlers.outcome_parse: real-world answers to "Vad gör du nu?"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.outcome_parse import (
    CATEGORIES,
    EMPLOYMENTS,
    EXTENTS,
    SCHOOLS,
    Outcome,
    parse_outcome,
)

A, S, P, SJ, X = "arbete", "studier", "praktik", "soker-jobb", "annat"

# (answer, expected Outcome or None)
CASES: list[tuple[str, Outcome | None]] = [
    # --- arbete ---------------------------------------------------------------------
    ("jag jobbar", Outcome(A)),
    ("Jobbar", Outcome(A)),
    ("JAG JOBBAR HELTID", Outcome(A, extent="heltid")),
    ("jobbar deltid på ICA", Outcome(A, extent="deltid")),
    ("ja jobar på lager", Outcome(A)),
    ("jobbr", Outcome(A)),
    ("Jobbar på ett lager i Jordbro", Outcome(A)),
    ("arbetar som undersköterska", Outcome(A)),
    ("Arbetar heltid inom hemtjänsten", Outcome(A, extent="heltid")),
    ("fick jobb på willys!!", Outcome(A)),
    ("Jag har fått jobb 😊", Outcome(A)),
    ("har fast jobb", Outcome(A, employment="tillsvidare")),
    ("har fast jobb nu, heltid", Outcome(A, extent="heltid", employment="tillsvidare")),
    ("fastanställd", Outcome(A, employment="tillsvidare")),
    ("Jag har fått en tillsvidareanställning", Outcome(A, employment="tillsvidare")),
    ("timanställd", Outcome(A, employment="timanstallning")),
    ("timanstalld pa pressbyran", Outcome(A, employment="timanstallning")),
    ("timvikarie på förskola", Outcome(A, employment="timanstallning")),
    ("provanställd på 6 mån", Outcome(A, employment="provanstallning")),
    ("vikarie på förskola", Outcome(A, employment="visstid")),
    ("barnskötare på förskolan, heltid", Outcome(A, extent="heltid")),
    ("vikariat till sommaren, 75%", Outcome(A, extent="deltid", employment="visstid")),
    ("jobbar 100%", Outcome(A, extent="heltid")),
    ("jobbar med lönebidrag", Outcome(A, employment="med-stod")),
    ("nystartsjobb", Outcome(A, employment="med-stod")),
    ("Stockholmsjobb i parkförvaltningen", Outcome(A, employment="med-stod")),
    ("jobbar i stockholm", Outcome(A)),
    ("heltidsjobb", Outcome(A, extent="heltid")),
    ("extrajobbar på helgerna", Outcome(A, extent="deltid")),
    ("jobbar extra och pluggar på komvux", Outcome(A, extent="deltid")),
    ("sommarjobb", Outcome(A, employment="visstid")),
    ("eget företag", Outcome(A, employment="eget-foretag")),
    ("driver eget företag sedan i våras", Outcome(A, employment="eget-foretag")),
    ("jag är inte arbetslös, jag jobbar", Outcome(A)),
    ("hade praktik, nu jobbar jag", Outcome(A)),
    ("söker jobb, har timanställning", Outcome(A, employment="timanstallning")),
    ("jobbar deltid men söker heltid", Outcome(A, extent="deltid")),
    ("I work part-time at a warehouse", Outcome(A, extent="deltid")),
    ("Full time job at hospital", Outcome(A, extent="heltid")),
    ("working full-time, permanent contract", Outcome(A, "heltid", "tillsvidare")),
    ("im working", Outcome(A)),
    ("I got a job!", Outcome(A)),
    ("employed", Outcome(A)),
    ("self employed", Outcome(A, employment="eget-foretag")),
    ("temporary job at a school", Outcome(A, employment="visstid")),
    ("work", Outcome(A)),
    ("heltid", Outcome(A, extent="heltid")),
    ("Jobbar o pluggar", Outcome(A)),
    ("Jobbar men vill byta jobb", Outcome(A)),
    ("jobbar natt på ett lager, timanställd", Outcome(A, employment="timanstallning")),
    ("jag pluggar inte längre, jobbar heltid nu", Outcome(A, extent="heltid")),
    # --- studier --------------------------------------------------------------------
    ("pluggar på komvux", Outcome(S, school="komvux")),
    ("pluggar på komvuks", Outcome(S, school="komvux")),
    ("Plugar på KOMVUX", Outcome(S, school="komvux")),
    ("läser på vuxenutbildningen", Outcome(S, school="komvux")),
    ("studying", Outcome(S)),
    ("studerrar", Outcome(S)),
    ("studerar heltid", Outcome(S)),
    ("läser sfi", Outcome(S, school="sfi")),
    ("SFI", Outcome(S, school="sfi")),
    ("sfi och söker jobb", Outcome(S, school="sfi")),
    ("går en svenskakurs", Outcome(S, school="sfi")),
    ("Swedish for immigrants", Outcome(S, school="sfi")),
    ("går på folkhögskola", Outcome(S, school="folkhogskola")),
    ("folkis", Outcome(S, school="folkhogskola")),
    ("folk high school", Outcome(S, school="folkhogskola")),
    ("går gymnasiet", Outcome(S, school="gymnasium")),
    ("back in high school", Outcome(S, school="gymnasium")),
    ("språkintroduktion", Outcome(S, school="gymnasium")),
    ("universitet", Outcome(S, school="hogskola")),
    ("KTH", Outcome(S, school="hogskola")),
    ("högskolan", Outcome(S, school="hogskola")),
    ("hogskolan i sodertorn", Outcome(S, school="hogskola")),
    ("studerar på universitetet", Outcome(S, school="hogskola")),
    ("I'm at university", Outcome(S, school="hogskola")),
    ("studying at college", Outcome(S, school="hogskola")),
    ("yrkeshögskola", Outcome(S, school="annat")),
    ("läser till undersköterska", Outcome(S)),
    ("jobbar inte, pluggar", Outcome(S)),
    ("jag jobbar inte utan pluggar", Outcome(S)),
    ("school", Outcome(S)),
    ("adult education", Outcome(S, school="komvux")),
    ("Läser upp mina betyg på komvux", Outcome(S, school="komvux")),
    ("pluggar till sjuksköterska på KI", Outcome(S, school="hogskola")),
    ("jag e student", Outcome(S)),
    # --- praktik --------------------------------------------------------------------
    ("praktik på Coop", Outcome(P)),
    ("praktiserar på en förskola", Outcome(P)),
    ("Praktick", Outcome(P)),
    ("arbetsträning", Outcome(P)),
    ("internship", Outcome(P)),
    ("work placement at a hotel", Outcome(P)),
    ("praktik och söker jobb", Outcome(P)),
    # --- söker jobb -----------------------------------------------------------------
    ("söker jobb", Outcome(SJ)),
    ("SÖKER JOBB", Outcome(SJ)),
    ("soker jobb", Outcome(SJ)),
    ("letar jobb", Outcome(SJ)),
    ("letar efter ett deltidsjobb", Outcome(SJ)),
    ("söker heltidsjobb", Outcome(SJ)),
    ("arbetslös", Outcome(SJ)),
    ("arbetslos", Outcome(SJ)),
    ("ja e arbetslös", Outcome(SJ)),
    ("unemployed", Outcome(SJ)),
    ("looking for work", Outcome(SJ)),
    ("Looking for a job", Outcome(SJ)),
    ("job hunting", Outcome(SJ)),
    ("har inget jobb", Outcome(SJ)),
    ("har inte fått jobb än", Outcome(SJ)),
    ("i dont have a job", Outcome(SJ)),
    ("I'm not working, looking for a job", Outcome(SJ)),
    ("vill jobba", Outcome(SJ)),
    ("jobbade förut men nu söker jobb", Outcome(SJ)),
    ("fick sparken", None),  # ended work: asked "söker du jobb?"
    ("inskriven på arbetsförmedlingen", Outcome(SJ)),
    ("föräldraledig men söker jobb", Outcome(SJ)),
    ("still looking", Outcome(SJ)),
    ("Jag söker fortfarande", Outcome(SJ)),
    ("jag har slutat på jobbet och söker nytt", Outcome(SJ)),
    ("Inget jobb än", Outcome(SJ)),
    ("no job yet", Outcome(SJ)),
    ("har inte hittat något jobb", Outcome(SJ)),
    ("jobbade men blev uppsagd", None),  # asked, as "fick sparken"
    ("jobbade men blev uppsagd, söker nytt", Outcome(SJ)),
    # --- annat ----------------------------------------------------------------------
    ("föräldraledig", Outcome(X)),
    ("mammaledig", Outcome(X)),
    ("on parental leave", Outcome(X)),
    ("sjukskriven", Outcome(X)),
    ("gravid", Outcome(X)),
    ("hemma med barnen", Outcome(X)),
    ("flyttat utomlands", Outcome(X)),
    ("inget just nu", None),  # nothing now: the survey asks "söker du jobb?"
    ("nothing", None),  # as "inget just nu": asked "söker du jobb?", never stored as annat
    # --- unclear --------------------------------------------------------------------
    ("jag vet inte", None),
    ("hej", None),
    ("", None),
    ("   ", None),
    ("?", None),
    ("ok", None),
    ("😊", None),
    ("ingen aning", None),
    ("jobbar inte", None),
    ("jobbar ej", None),
    ("jobbar inte längre", None),
    ("not working", None),
    ("I don't work", None),
    ("slutat plugga", None),
    ("pluggar inte", None),
    ("want to study", None),
    ("söker till komvux", None),
    ("jobbade förut", None),
    ("söker inte", None),
    ("inte börjat plugga än", None),
    # future or waiting: not what they do now (the survey asks what they do now)
    ("ska börja jobba nästa vecka", None),
    ("väntar på besked från ett jobb", None),
    ("kommer börja plugga till hösten", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_real_world_answers(text: str, expected: Outcome | None) -> None:
    assert parse_outcome(text) == expected


def test_enough_phrasings() -> None:
    assert len(CASES) >= 70
    assert {o.category for _, o in CASES if o} == set(CATEGORIES)


@pytest.mark.parametrize(
    "text",
    ["söker jobb", "Söker jobb", "letar jobb", "looking for work", "arbetslös", "unemployed",
     "jobbar inte", "not working", "har inget jobb", "vill jobba", "söker heltidsjobb"],
)
def test_never_work(text: str) -> None:
    result = parse_outcome(text)
    assert result is None or result.category != "arbete"


def test_compound_prefixes_name_known_words() -> None:
    from handlers.outcome_parse import _PREFIXES, _VOCAB

    assert all(word in _VOCAB for word in _PREFIXES.values())


def test_none_input() -> None:
    assert parse_outcome(None) is None


def test_outcome_is_frozen() -> None:
    outcome = Outcome("arbete")
    with pytest.raises(AttributeError):
        outcome.category = "studier"  # type: ignore[misc]


@given(st.text(max_size=200))
def test_never_raises_and_answers_in_vocabulary(text: str) -> None:
    result = parse_outcome(text)
    if result is None:
        return
    assert result.category in CATEGORIES
    assert result.extent in (None, *EXTENTS)
    assert result.employment in (None, *EMPLOYMENTS)
    assert result.school in (None, *SCHOOLS)
    if result.category != "arbete":
        assert result.extent is None and result.employment is None
    if result.category != "studier":
        assert result.school is None
