from django.core.management import call_command

from commissioning.models import Event, Membership, Organisation, Programme


def test_demo_data_loads_once_with_a_login_per_role(db, capsys):
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert Programme.objects.count() == 3
    assert set(Programme.objects.values_list("framework", flat=True)) == {
        "se_care_choice",
        "uk_provider_selection",
        "no_cooperation_agreement",
    }
    care_choice = Programme.objects.get(framework="se_care_choice")
    ownerships = set(
        care_choice.participants.filter(kind="provider").values_list("ownership", flat=True)
    )
    assert ownerships == {"public", "private", "non_profit"}
    assert care_choice.participants.filter(kind="provider").count() == 6
    assert care_choice.participants.filter(kind="provider_network").count() == 1
    assert set(Membership.objects.values_list("role", flat=True)) == set(Membership.Role.values)
    for username in ("anna.manager", "erik.officer", "sara.provider", "karin.politician"):
        assert username in output
    events = Event.objects.count()
    assert events > 0

    call_command("load_demo_data")
    assert "already loaded" in capsys.readouterr().out
    assert Programme.objects.count() == 3
    assert Organisation.objects.filter(name="Region Norrsund").count() == 1
    assert Event.objects.count() == events
