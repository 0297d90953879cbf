"""The closing surge of bench/over_http.py: N providers, each with its own representative,
token and X-Acting-For, post M comments each to one open consultation over HTTP in its last
seconds (wrk, one connection per provider); then, the consultation closed, each tries once
more. Beside it behind the same gunicorn: the same posts as plain INSERTs
(bench/floor_wsgi.py).

The scene is bench/consultation_surge.py's (a purchaser, a programme with a draft rulebook
version and a clause, N invited providers with a representative each, an open consultation
made and opened through the services); its close is then moved to `lead` seconds from now
in the database, as if it had been open for an hour. Each representative's token is made as
the profile page and the token endpoint make one (accounts.services.tokens.create_api_token),
each provider posting from an address of its own.
"""

import datetime
import time
from dataclasses import dataclass

import consultation_surge
import wrk

BODY = (
    '{"kind": "objection", "clause": %(clause)d, '
    '"body": "Comment %%d from provider %%d: **monthly** reporting is too often."}'
)
FLOOR_BODY = (
    '{"kind": "objection", "clause": %(clause)d, "consultation": %(consultation)d, '
    '"body": "Comment %%d from provider %%d: **monthly** reporting is too often."}'
)


def address(n: int) -> str:
    """A documentation address (RFC 5737) per client, as the README's proxy reports it in
    X-Forwarded-For: the throttles count per address and per person."""
    return f"198.51.100.{n + 1}" if n < 250 else f"203.0.113.{n - 249}"


def token(person_id: int) -> str:
    """A new API token of the person's; its secret, for `Authorization: Token <secret>`."""
    from django.contrib.auth import get_user_model

    from accounts.services.tokens import create_api_token

    person = get_user_model().objects.get(pk=person_id)
    return create_api_token(actor=person, name="bench/over_http.py")[1]


@dataclass
class Scene:
    consultation: int
    clause: int
    clients: list[tuple[str, int, str]]  # token, provider id, address
    closes_at: datetime.datetime | None = None


def prepare(providers: int) -> Scene:
    plan = consultation_surge._prepare(providers)
    clients = [
        (token(person), provider, address(n))
        for n, (person, provider) in enumerate(plan["writers"])
    ]
    return Scene(plan["consultation"], plan["clause"], clients)


def close_in(scene: Scene, seconds: float) -> None:
    from django.utils import timezone

    from dialogue.models import Consultation

    scene.closes_at = timezone.now() + datetime.timedelta(seconds=seconds)
    Consultation.objects.filter(pk=scene.consultation).update(closes_at=scene.closes_at)


def surge(base: str, host: str, scene: Scene, *, comments: int, lead: float) -> wrk.Posts:
    """The posts, from `lead` seconds before the close; wrk stops 2 s after the close."""
    close_in(scene, lead)
    return wrk.posts(
        base,
        f"/api/v1/consultations/{scene.consultation}/comments/",
        host,
        scene.clients,
        count=comments,
        body=BODY % {"clause": scene.clause},
        seconds=lead + 2,
    )


def after_close(base: str, host: str, scene: Scene) -> wrk.Posts:
    """Once the close has passed, every provider tries once more."""
    from django.utils import timezone

    time.sleep(max(0.0, (scene.closes_at - timezone.now()).total_seconds()) + 0.2)
    return wrk.posts(
        base,
        f"/api/v1/consultations/{scene.consultation}/comments/",
        host,
        scene.clients,
        count=1,
        body=BODY % {"clause": scene.clause},
        seconds=10,
    )


def floor(base: str, host: str, scene: Scene, *, comments: int) -> wrk.Posts:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_http_scratch_comment")
        cursor.execute(
            "CREATE TABLE bench_http_scratch_comment (id bigserial PRIMARY KEY, "
            "consultation_id bigint NOT NULL, organisation_id bigint NOT NULL, "
            "clause_id bigint, kind varchar(10) NOT NULL, body text NOT NULL, "
            "submitted_at timestamptz NOT NULL)"
        )
    no_tokens = [("", provider, where) for _, provider, where in scene.clients]
    body = FLOOR_BODY % {"clause": scene.clause, "consultation": scene.consultation}
    return wrk.posts(
        base, "/bench-floor/insert/", host, no_tokens, count=comments, body=body, seconds=30
    )


def stored(scene: Scene) -> dict:
    """What the database holds of the surge: comments, comments with a revision, the latest
    acceptance instant against the close, and the most comments of one provider."""
    from django.db.models import Count, Max, Q

    from dialogue.models import Comment

    comments = Comment.objects.filter(consultation_id=scene.consultation)
    found = comments.aggregate(
        count=Count("id", distinct=True),
        revised=Count("id", distinct=True, filter=Q(revisions__isnull=False)),
        latest=Max("submitted_at"),
    )
    per_provider = comments.values("organisation_id").annotate(n=Count("id"))
    found["most_of_one"] = max((row["n"] for row in per_provider), default=0)
    found["after_close"] = comments.filter(submitted_at__gte=scene.closes_at).count()
    return found


def floor_rows_stored() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_http_scratch_comment")
        return cursor.fetchone()[0]
