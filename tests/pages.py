"""What the page tests share: a client signed in as a person of the test world, and a page's
text with its white space folded, to look for sentences across the template's line breaks."""

import re

from django.test import Client


def signed_in(world, actor="officer_a") -> Client:
    client = Client()
    client.force_login(world.people[actor])
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())
