"""The contract and rulebook pages.

Contracts and obligations (contracts/web/contracts.py, contracts/web/obligations.py):

contracts/                                   the list: filters (status, programme, provider,
                                             ending within N days) and sort in the URL
contracts/<id>/                              parties, versions, gates, moves, new version
contracts/<id>/moves/<move>/                 POST: a status move (start-dialogue ... terminate)
contracts/<id>/versions/                     POST: a new version (an amendment once signed)
contracts/<id>/diff/?first=&second=          field by field, word by word in long texts
obligations/                                 the calendar: overdue, due in a month, endings
obligations/<id>/fulfilments/                POST: record one occurrence fulfilled

Rulebooks (contracts/web/rulebooks.py, contracts/web/rulebook_clauses.py):

rulebooks/                                          the rulebooks the person sees
rulebooks/<id>/                                     its versions; POST versions/: a new draft
rulebook-versions/<id>/                             a version's clauses; POST clauses/: a new one
rulebook-versions/<id>/diff/?against=<id>           what changed from another version
rulebook-clauses/<id>/edit/                         reword or renumber a clause of a draft
rulebook-clauses/<id>/delete/                       POST
rulebook-clauses/<id>/move-up/, move-down/          POST: one place up or down
"""

from django.urls import path

from contracts.web import contracts, obligations, rulebook_clauses, rulebooks

urlpatterns = [
    path("contracts/", contracts.contract_list, name="contract-pages"),
    path("contracts/<int:contract_id>/", contracts.contract_detail, name="contract-page"),
    path(
        "contracts/<int:contract_id>/moves/<slug:move>/",
        contracts.contract_move,
        name="contract-move",
    ),
    path(
        "contracts/<int:contract_id>/versions/",
        contracts.contract_new_version,
        name="contract-new-version",
    ),
    path("contracts/<int:contract_id>/diff/", contracts.contract_diff, name="contract-diff-page"),
    path("obligations/", obligations.obligation_calendar, name="obligation-calendar"),
    path(
        "obligations/<int:obligation_id>/fulfilments/",
        obligations.record_fulfilment,
        name="obligation-fulfilment",
    ),
    path("rulebooks/", rulebooks.rulebook_list, name="rulebook-pages"),
    path("rulebooks/<int:rulebook_id>/", rulebooks.rulebook_page, name="rulebook-page"),
    path(
        "rulebooks/<int:rulebook_id>/versions/",
        rulebooks.rulebook_new_version,
        name="rulebook-version-new",
    ),
    path(
        "rulebook-versions/<int:version_id>/",
        rulebooks.version_page,
        name="rulebook-version-page",
    ),
    path(
        "rulebook-versions/<int:version_id>/diff/",
        rulebooks.version_diff,
        name="rulebook-version-diff-page",
    ),
    path(
        "rulebook-versions/<int:version_id>/clauses/",
        rulebook_clauses.clause_add,
        name="rulebook-clause-add",
    ),
    path(
        "rulebook-clauses/<int:clause_id>/edit/",
        rulebook_clauses.clause_edit,
        name="rulebook-clause-edit",
    ),
    path(
        "rulebook-clauses/<int:clause_id>/delete/",
        rulebook_clauses.clause_delete,
        name="rulebook-clause-delete",
    ),
    path(
        "rulebook-clauses/<int:clause_id>/move-up/",
        rulebook_clauses.clause_move,
        {"direction": "up"},
        name="rulebook-clause-move-up",
    ),
    path(
        "rulebook-clauses/<int:clause_id>/move-down/",
        rulebook_clauses.clause_move,
        {"direction": "down"},
        name="rulebook-clause-move-down",
    ),
]
