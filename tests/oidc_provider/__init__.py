"""A real OpenID Connect provider for the test session: django-oauth-toolkit in a Django
project of its own, run as a second process on a local port (see `server.py`).

It stands for a region's or a trust's identity provider (SITHS/Inera, Microsoft Entra ID,
ID-porten): people sign in at its own login form, it issues RS256-signed ID tokens, requires
PKCE, answers discovery, JWKS and userinfo, and ends its session on RP-initiated logout. Its
people and its one kind of client are written by `manage.py seed_provider` (JSON on stdin).
"""
