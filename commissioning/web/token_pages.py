"""Pages reached through a secret link and no sign-in (a trust pulse, a one-click
unsubscribe): in the language of the person the link names, and sending no Referer, so that
the token in the address never leaves the page."""

from django.shortcuts import render


def token_page(request, template: str, context: dict, *, status=200, language=None):
    response = render(request, template, context, status=status)
    if language:
        response["Content-Language"] = language
    response["Referrer-Policy"] = "no-referrer"
    return response
