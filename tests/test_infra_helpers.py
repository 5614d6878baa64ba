"""The DATABASE_URL handed to the Celery worker subprocess parses back to the same connection settings."""

import environ
import pytest

from tests.fixtures import database_url


@pytest.mark.parametrize(
    "settings_dict",
    [
        {"NAME": "test_obieg_gw0", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": 5432},
        {"NAME": "test_obieg", "USER": "obieg", "PASSWORD": "p@ss:wörd", "HOST": "db", "PORT": "5432"},
        {"NAME": "test_obieg", "USER": "postgres", "PASSWORD": "", "HOST": "", "PORT": "",
         "OPTIONS": {"host": "/work/var/pg/run"}},
        {"NAME": "test_obieg", "USER": "postgres", "PASSWORD": "", "HOST": "/tmp/pg", "PORT": ""},
    ],
)
def test_database_url_round_trips(settings_dict):
    parsed = environ.Env.db_url_config(database_url(settings_dict))
    assert parsed["NAME"] == settings_dict["NAME"]
    assert parsed["USER"] == settings_dict["USER"]
    assert (parsed["PASSWORD"] or "") == settings_dict["PASSWORD"]
    host = settings_dict["HOST"] or settings_dict.get("OPTIONS", {}).get("host", "")
    assert (parsed["HOST"] or parsed.get("OPTIONS", {}).get("host", "")) == host
    if settings_dict["HOST"] and not settings_dict["HOST"].startswith("/"):
        assert str(parsed["PORT"]) == str(settings_dict["PORT"])
