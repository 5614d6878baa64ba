"""Demo content for `manage.py load_demo`: a few saved searches, so the search page shows its list."""

from urllib.parse import urlencode

SAVED = [
    # user, name, search parameters
    ("referent_rb", "Warunki zabudowy", {"q": "warunki zabudowy"}),
    ("referent_rb", "Samowola budowlana", {"q": "samowola"}),
    ("sekretarz", "Skargi i petycje", {"q": "skarga petycja"}),
    ("zastepca", "Zabudowa – sprawy", {"q": "zabudowy", "kind": "case"}),
]


def load(context) -> None:
    from search.models import SavedSearch

    users = context["users"]
    for username, name, params in SAVED:
        SavedSearch.objects.update_or_create(user=users[username], name=name,
                                             defaults={"query_string": urlencode(params)})
