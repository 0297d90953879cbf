"""The web pages: server-rendered templates with htmx for the interactive parts.

Pages are thin like the API's views: they read through the selectors and policy module and
write through the same services, so a rule lives in one place whether a person clicks or a
client calls. What pages share is here: the acting organisation, refusals shown on forms,
sign-in, and the context every template gets.
"""
