import pytest
from django.core.management import call_command

from organisation.models import Role, User
from registry.models import Case, Delivery


@pytest.mark.django_db
def test_demo_loads_once_with_every_role(capsys):
    call_command("load_demo", copies=1)
    out = capsys.readouterr().out
    assert "kancelaria-demo" in out
    deliveries = Delivery.objects.count()
    assert deliveries == 12 and Case.objects.count() > 3
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert {r.value for r in Role} <= roles
    call_command("load_demo", copies=1)
    assert Delivery.objects.count() == deliveries
    assert User.objects.get(username="referent_rb").check_password("referent_rb-demo")
