"""Trust pulses after held meetings, one per representative of an organisation recorded
present, each answered."""

import datetime

from django.contrib.contenttypes.models import ContentType

from demo.scale_data.copy import Ids, copy_rows
from demo.scale_data.plan import COUNTRIES, Built, rng, token_hash
from dialogue.models import Meeting
from workers.models import PulseAnswer, TrustPulse

COMMENTS = ["", "", "", "More time for dialogue, please.", "Good meeting, clear next steps."]


def build(built: Built) -> None:
    random = rng(built.seed, "pulses")
    wanted = built.sizes["pulse_answers"]
    meeting_type = ContentType.objects.get_for_model(Meeting).id
    pulse_ids, answer_ids = Ids(TrustPulse), Ids(PulseAnswer)
    pulses, answers = [], []
    for meeting, home, programme, arena, starts, present in built.held_meetings:
        language = COUNTRIES[built.purchaser_country[home]][1]
        for organisation in present:
            if len(pulses) == wanted:
                break
            pulse = pulse_ids.one()
            pulses.append(
                (
                    pulse,
                    built.representative[organisation],
                    organisation,
                    built.purchasers[home],
                    programme,
                    arena,
                    meeting_type,
                    str(meeting),
                    starts.date(),
                    token_hash(built.seed, len(pulses)),
                    language,
                    starts + datetime.timedelta(days=14),
                    starts + datetime.timedelta(hours=4),
                )
            )
            scores = [random.choices(range(1, 6), [1, 2, 4, 5, 3])[0] for _ in range(5)]
            answered = starts + datetime.timedelta(days=1)
            answers.append(
                (answer_ids.one(), pulse, *scores, random.choice(COMMENTS), answered, answered)
            )
    if len(pulses) < wanted:
        raise ValueError(f"only {len(pulses)} people present at held meetings, {wanted} wanted")
    copy_rows(
        TrustPulse,
        [
            "id",
            "person_id",
            "organisation_id",
            "purchaser_id",
            "programme_id",
            "arena_id",
            "occasion_type_id",
            "occasion_id",
            "occasion_date",
            "token_hash",
            "language",
            "expires_at",
            "created_at",
        ],
        pulses,
    )
    built.count(
        "pulse answers",
        copy_rows(
            PulseAnswer,
            [
                "id",
                "pulse_id",
                *PulseAnswer.SCORE_FIELDS,
                "free_text",
                "answered_at",
                "updated_at",
            ],
            answers,
        ),
    )
