"""Error pages are Obieg's own, in Polish (viewflow's English ones are overridden); a record the user may not see
answers exactly like a missing one."""

import pytest
from django.template import loader
from django.utils import translation

from organisation.models import User


@pytest.fixture
def clerk(db):
    return User.objects.create_user(username="k", password="x")


def test_404_is_polish_and_says_nothing_about_the_record(client, clerk):
    client.force_login(clerk)
    response = client.get("/sprawy/999999/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nie znaleziono strony" in body and "Wróć do biurka" in body
    assert "Not Found" not in body and "matches the given query" not in body


def test_403_shows_the_reason_in_polish(client, clerk):
    client.force_login(clerk)  # no role: may not register deliveries
    response = client.get("/przesylki/nowa/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Brak dostępu" in body and "Mogą to zrobić tylko pracownicy kancelarii." in body
    assert "Access Forbidden" not in body


def test_500_renders_without_a_request_context():
    """Django's server_error renders 500.html with no context at all: the page must not need one."""
    with translation.override("pl"):
        html = loader.get_template("500.html").render()
    assert "Błąd serwera" in html and 'lang="pl"' in html
