"""Trust pulse results: a trend per calendar quarter per statement, no figure for fewer than
three answers, free texts without names, in a constant number of queries."""

import datetime

import pytest

from tests.dialogue.factories import ArenaFactory
from tests.factories import MembershipFactory
from tests.workers.pulse_factories import PulseAnswerFactory, TrustPulseFactory
from workers.models import TrustPulse
from workers.selectors.pulses import pulse_trend

pytestmark = pytest.mark.django_db

URL = "/api/v1/trust/results/"
Q3 = datetime.date(2026, 8, 15)
Q4 = datetime.date(2026, 11, 3)


def answers(world, count, *, date=Q3, organisation=None, texts=(), **scores):
    organisation = organisation or world.provider_in_a
    made = []
    for n in range(count):
        person = MembershipFactory(organisation=organisation, role="provider_representative").person
        pulse = TrustPulseFactory(
            person=person,
            organisation=organisation,
            purchaser=world.purchaser_a,
            programme=world.programme_a,
            occasion_date=date,
        )
        made.append(
            PulseAnswerFactory(pulse=pulse, free_text=texts[n] if n < len(texts) else "", **scores)
        )
    return made


def results(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_figures_per_statement_and_quarter(world, client_for):
    answers(world, 2, good_faith=4)
    answers(world, 1, good_faith=1)
    answers(world, 3, date=Q4, good_faith=5)
    data = results(client_for("manager_a"), programme=world.programme_a.id)
    assert [q["quarter"] for q in data["quarters"]] == ["2026-Q3", "2026-Q4"]
    q3 = {s["key"]: s for s in data["quarters"][0]["statements"]}
    assert q3["good_faith"]["n"] == 3
    assert q3["good_faith"]["mean"] == 3.0
    assert q3["good_faith"]["distribution"] == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 0}
    assert q3["involved_early"]["mean"] == 3.0
    assert len(data["quarters"][0]["statements"]) == 5
    assert data["quarters"][1]["statements"][4]["mean"] == 5.0


def test_the_mean_has_one_decimal_rounded_half_up(world, client_for):
    answers(world, 2, good_faith=4)
    answers(world, 2, good_faith=3)
    answers(world, 4, good_faith=5)  # (8 + 6 + 20) / 8 = 4.25
    data = results(client_for("manager_a"), programme=world.programme_a.id)
    assert data["quarters"][0]["statements"][4]["mean"] == 4.3


def test_fewer_than_three_answers_show_no_figure_and_no_free_text(world, client_for):
    answers(world, 2, good_faith=1, texts=["Vi blev inte hörda.", "Too late."])
    answers(world, 3, date=Q4)
    data = results(client_for("manager_a"), programme=world.programme_a.id)
    q3 = data["quarters"][0]
    assert q3["n"] == 2
    for figure in q3["statements"]:
        assert figure["n"] == 2
        assert figure["mean"] is None
        assert figure["distribution"] is None
        assert figure["note"] == "too few answers"
    assert q3["free_texts"] == []
    assert "Vi blev inte hörda." not in str(data)
    assert data["quarters"][1]["statements"][0]["mean"] == 3.0


def test_the_note_is_translated(world, client_for):
    answers(world, 1)
    response = client_for("manager_a").get(
        URL, {"programme": world.programme_a.id}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert response.status_code == 200
    # Whatever the translation says, the note is there and no figure is.
    assert response.json()["quarters"][0]["statements"][0]["mean"] is None
    assert response.json()["quarters"][0]["statements"][0]["note"]


def test_free_texts_are_listed_without_names_or_organisations(world, client_for):
    made = answers(world, 3, texts=["Öppnare om ekonomin i år.", "More room to talk."])
    data = results(client_for("manager_a"), programme=world.programme_a.id)
    assert data["quarters"][0]["free_texts"] == [
        "More room to talk.",
        "Öppnare om ekonomin i år.",
    ]
    text = str(data)
    for answer in made:
        assert answer.pulse.person.username not in text
        assert answer.pulse.person.last_name not in text
    assert world.provider_in_a.name not in text


def test_results_of_an_arena(world, client_for):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    for answer in answers(world, 3, good_faith=2):
        TrustPulse.objects.filter(pk=answer.pulse_id).update(arena=arena, programme=None)
    answers(world, 3, good_faith=5)  # the programme's, not the arena's
    data = results(client_for("officer_a"), arena=arena.id)
    assert data["quarters"][0]["n"] == 3
    assert data["quarters"][0]["statements"][4]["mean"] == 2.0


def test_results_of_a_relationship(world, client_for):
    answers(world, 3, good_faith=2)
    answers(world, 3, organisation=world.network, good_faith=5)
    data = results(
        client_for("manager_a"), purchaser=world.purchaser_a.id, provider=world.network.id
    )
    assert data["quarters"][0]["n"] == 3
    assert data["quarters"][0]["statements"][4]["mean"] == 5.0


def test_no_answers_give_no_quarters(world, client_for):
    assert results(client_for("manager_a"), programme=world.programme_a.id)["quarters"] == []


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"programme": 1, "arena": 1},
        {"purchaser": 1},
        {"provider": 1},
        {"programme": "abc"},
        {"programme": 1, "colour": "red"},
    ],
)
def test_a_query_without_exactly_one_scope_is_refused(world, client_for, query):
    response = client_for("manager_a").get(URL, query)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_a_relationship_of_the_wrong_kinds_is_refused(world, client_for):
    response = client_for("manager_a").get(
        URL, {"purchaser": world.provider_in_a.id, "provider": world.purchaser_a.id}
    )
    assert response.status_code == 400
    assert "purchaser" in response.json()["error"]["fields"]


def test_results_take_the_same_few_queries_for_10_and_100_answers(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("manager_a")
    results(client, programme=world.programme_a.id)  # the person's standing is then cached
    counts = []
    for count in (10, 90):  # 10 answers, then 100
        answers(world, count // 2, texts=["a"] * count)
        answers(world, count // 2, date=Q4, texts=["b"] * count)
        with django_assert_max_num_queries(8) as captured:
            data = results(client, programme=world.programme_a.id)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert sum(q["n"] for q in data["quarters"]) == 100


def test_pulse_trend_is_reusable_on_any_queryset(world):
    answers(world, 3, good_faith=4)
    [quarter] = pulse_trend(TrustPulse.objects.all())
    assert quarter["quarter"] == "2026-Q3"
    assert quarter["statements"][4]["mean"] == 4.0
