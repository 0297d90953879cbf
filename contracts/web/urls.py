"""The contract pages.

contracts/                                   the list: filters (status, programme, provider,
                                             ending within N days) and sort in the URL
contracts/<id>/                              parties, versions, gates, moves, new version
contracts/<id>/moves/<move>/                 POST: a status move (start-dialogue ... terminate)
contracts/<id>/versions/                     POST: a new version (an amendment once signed)
contracts/<id>/diff/?first=&second=          field by field, word by word in long texts
obligations/                                 the calendar: overdue, due in a month, endings
obligations/<id>/fulfilments/                POST: record one occurrence fulfilled
"""

from django.urls import path

from contracts.web import contracts, obligations

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
]
