"""dateline_timex: time expressions resolved against the anchor date (invented sentences)."""
from __future__ import annotations

from datetime import date

import pytest

from dateline.nlp.timex import time_for_span, times_in_span
from dateline.nlp.timex.grammar import choose, find_candidates
from dateline.nlp.timex.resolution import nearest_month, resolve

SATURDAY = "2025-07-26"              # a Saturday
TUESDAY = "2025-10-14"


@pytest.fixture
def analyse(nlp):
    def run(text: str, anchor: str | None = SATURDAY):
        doc = nlp.make_doc(text)
        doc._.anchor_date = anchor
        doc._.dateline = None
        return nlp(doc)
    return run


def only(doc):
    assert len(doc._.times) == 1, [(t.text, t.value) for t in doc._.times]
    return doc._.times[0]


@pytest.mark.parametrize("text, phrase, value, precision", [
    # weekdays: back from the anchor by default, the anchor day included
    ("The ministers met on Wednesday in Geneva.", "on Wednesday", "2025-07-23", "day"),
    ("Rebels shelled the port on Saturday.", "on Saturday", "2025-07-26", "day"),
    ("Fighting broke out on Tuesday night near the airport.", "on Tuesday night", "2025-07-22", "day"),
    ("Protesters gathered last Tuesday outside the embassy.", "last Tuesday", "2025-07-22", "day"),
    # weekdays pointing forward
    ("The envoy will travel to Cairo next Tuesday.", "next Tuesday", "2025-07-29", "day"),
    ("The two leaders will meet on Tuesday in Oslo.", "on Tuesday", "2025-07-29", "day"),
    ("Talks are scheduled for Thursday, officials said.", "Thursday", "2025-07-31", "day"),
    ("The cabinet is expected to vote on Monday.", "on Monday", "2025-07-28", "day"),
    # deictic days
    ("The army said yesterday that it had withdrawn.", "yesterday", "2025-07-25", "day"),
    ("The border is calm today, residents said.", "today", "2025-07-26", "day"),
    ("The council votes tomorrow on the budget.", "tomorrow", "2025-07-27", "day"),
    # calendar dates
    ("The accord was signed on July 14 in Vienna.", "on July 14", "2025-07-14", "day"),
    ("The accord was signed on 14 July 2025 in Vienna.", "on 14 July 2025", "2025-07-14", "day"),
    ("The accord was signed on July 14, 2025, in Vienna.", "on July 14, 2025", "2025-07-14", "day"),
    ("The accord was signed on 2025-07-14 in Vienna.", "on 2025-07-14", "2025-07-14", "day"),
    ("The accord was signed on Sept. 3 in Vienna.", "on Sept. 3", "2024-09-03", "day"),
    ("The report was dated 7/14/2025 by its authors.", "7/14/2025", "2025-07-14", "day"),
    # months and years
    ("The invasion began in February 2022 after months of tension.", "in February 2022", "2022-02", "month"),
    ("The two leaders last met in 2019.", "in 2019", "2019", "year"),
    ("Troops entered the town in early March.", "in early March", "2025-03", "month"),
    ("Rebels seized the city in late 2024.", "in late 2024", "2024", "year"),
    ("Elections will take place in November.", "in November", "2025-11", "month"),
    ("The militia was disbanded in December.", "in December", "2024-12", "month"),
    # no tense to go by: the occurrence nearest the anchor
    ("Parties now look to November's election.", "November", "2025-11", "month"),
    ("The party's Aug. 30 primary is tight.", "Aug. 30", "2025-08-30", "day"),
    ("He led the polls before the caucuses Aug. 4, aides said.", "Aug. 4", "2025-08-04", "day"),
    ("The rebels agreed to postpone the march until 9 August.", "until 9 August", "2025-08-09", "day"),
    # relative units
    ("The minister resigned last week.", "last week", "2025-07-14", "week"),
    ("Parliament reconvenes next week.", "next week", "2025-07-28", "week"),
    ("Officials met last weekend in Riga.", "last weekend", "2025-07-19", "weekend"),
    ("Elections were held earlier this month.", "earlier this month", "2025-07", "month"),
    ("Talks resume next month in Doha.", "next month", "2025-08", "month"),
    ("The economy shrank this year.", "this year", "2025", "year"),
    ("The economy grew last year.", "last year", "2024", "year"),
    ("The drought ended last summer.", "last summer", "2024", "year"),
    # counted distances
    ("The strike began a week ago.", "a week ago", "2025-07-19", "day"),
    ("The ceasefire collapsed three days ago.", "three days ago", "2025-07-23", "day"),
    ("Inflation peaked six months ago.", "six months ago", "2025-01", "month"),
    ("The treaty lapsed two years ago.", "two years ago", "2023", "year"),
])
def test_expression_kinds(analyse, text, phrase, value, precision):
    expression = only(analyse(text))
    assert expression.text == phrase
    assert text[expression.start:expression.end] == phrase
    assert (expression.value, expression.precision) == (value, precision)
    assert expression.values == [value]


def test_two_months_keep_both_values(analyse):
    expression = only(analyse("Previous rounds held in May and June brought little."))
    assert expression.text == "in May and June"
    assert expression.values == ["2025-05", "2025-06"]
    assert expression.value == "2025-05"


def test_paragraph_break_is_not_part_of_an_expression(analyse):
    doc = analyse("The talks ended.\n\nTuesday's session was calm.")
    assert only(doc).text == "Tuesday"


def test_same_weekday_as_a_tuesday_anchor_is_that_day(analyse):
    doc = analyse("The army accused the rebels on Tuesday of breaking the truce.", anchor=TUESDAY)
    assert only(doc).value == "2025-10-14"


def test_the_same_day_takes_the_previous_day(analyse):
    doc = analyse("The truce took effect on Friday. Prisoners were freed the same day.")
    assert [t.value for t in doc._.times] == ["2025-07-25", "2025-07-25"]


def test_without_anchor_only_absolute_expressions_resolve(analyse):
    doc = analyse("The envoys met on Wednesday, in March 2021 and in 2019.", anchor=None)
    assert [(t.text, t.value) for t in doc._.times] == [
        ("on Wednesday", None), ("in March 2021", "2021-03"), ("in 2019", "2019")]


@pytest.mark.parametrize("text", [
    "Leaders may meet again soon.",                    # the modal, not the month
    "Police made 2000 arrests in the city.",           # a count, not a year
    "He has led the party for three years.",           # a duration
    "Russia Today reported the claim.",                # a name
    "Casualties rose in the last year of the war.",    # a duration
    "The convoy left at 1500 GMT.",                    # a clock time, not a year
    "Critics in Theresa May's cabinet resigned.",      # a person, not a month
    "The Sunday Times reported the deal.",             # a newspaper, not a day
    "The senator went on This Week to defend the bill.",  # a programme, not a week
])
def test_non_expressions_are_ignored(analyse, text):
    assert analyse(text)._.times == []


def test_span_helpers(analyse):
    text = "The envoys met on Wednesday. They will meet again next Tuesday in Oslo."
    doc = analyse(text)
    second = text.index("They")
    assert [t.text for t in times_in_span(doc, 0, second)] == ["on Wednesday"]
    assert time_for_span(doc, second, len(text)).value == "2025-07-29"
    assert time_for_span(doc, 0, len(text), near=len(text) - 5).text == "next Tuesday"
    assert time_for_span(doc, 0, len(text)).text == "on Wednesday"
    assert time_for_span(doc, 0, 5) is None


def test_resolved_expressions_rank_before_unresolved(analyse):
    doc = analyse("On Wednesday the envoys met, as agreed in March 2021.", anchor=None)
    assert time_for_span(doc, 0, len(doc.text)).value == "2021-03"


# ------------------------------------------------------------ grammar without spaCy

def test_longest_candidate_wins():
    text = "It was signed on Wednesday, July 23, 2025 in Geneva."
    chosen = choose(find_candidates(text))
    assert [text[c.start:c.end] for c in chosen] == ["on Wednesday, July 23, 2025"]
    assert resolve(chosen[0], date(2025, 7, 26)).values == ["2025-07-23"]


@pytest.mark.parametrize("month, future, expected", [
    (5, False, "2025-05"), (7, False, "2025-07"), (9, False, "2024-09"),
    (9, True, "2025-09"), (3, True, "2026-03"),
])
def test_nearest_month(month, future, expected):
    assert nearest_month(month, date(2025, 7, 26), future) == expected


def test_odd_input_never_raises(analyse):
    assert analyse("", anchor="not a date")._.times == []
    doc = analyse("They met on Friday and on 31 February 2025.", anchor="2025-07-26T09:30:00+02:00")
    assert [t.value for t in doc._.times] == ["2025-07-25"]
