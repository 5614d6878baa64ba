"""The crawl: every URL pattern of the project, opened with GET on the demo office by every demo role and
anonymously, answers without a 5xx; a record a role may not see answers exactly like a missing one.

The patterns come from walking `get_resolver()`, so a page or API added anywhere is crawled without touching this
file, unless one of its URL kwargs is unknown here: then `test_every_url_kwarg_is_known` (and its crawl cases) FAIL,
so nobody can add a page the crawl skips. Ids come from `load_demo`, loaded once for the module inside a transaction
that is rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

MISSING_ID = 2_147_483_000  # fits an int column and an <int:…> converter, exists nowhere

# The demo users the crawl logs in as, one per role (None = anonymous).
ROLES = {
    "anonymous": None,
    "clerk": "kancelaria",
    "head": "kierownik_rb",
    "worker": "referent_rb",
    "secretary": "sekretarz",
    "archivist": "archiwista",
    "admin": "admin",
    "substitute": "zastepca",
}

# Patterns not crawled (regular expressions over the full route), and why. Everything else is.
EXCLUDED = [
    # Django admin's catch-all (unnamed): any unknown /admin/… path.
    (r"^admin/\(\?P<url>\.\*\)\$$", "admin catch-all of unknown paths"),
    # Django admin's unnamed redirect of an old-style object URL to its change page, which is crawled.
    (r"^admin/[a-z_]+/[a-z]+/<path:object_id>/$", "admin redirect to the change page"),
]

# URL kwargs that carry a plain value: every value is crawled.
VALUE_KWARGS = {
    "format": ["json", "api"],  # DRF format suffix (renderers: JSON and the browsable API)
    "fmt": ["csv", "xlsx"],  # our export formats
    "which": ["mine", "queue", "unit", "done"],  # workflow.selectors.LISTS
    "app_label": ["organisation", "registry"],  # admin app index
    "uidb64": ["MQ"],  # password reset link: a well-formed uid…
    "token": ["set-password"],  # …and a token that is not valid
    "page": [1, 999],  # a page of a document version's preview: the first, and one past the end
    "day": [dt.date.today().isoformat(), "2026-02-30", "wczoraj"],  # a dispatch book: today's (the demo's), odd ones
    "action": ["submit", "approve", "unknown"],  # handover and loan actions (POST only), and an unknown one
    "step": ["review-send", "unknown"],  # steps of a disposal list (POST only)
}

# URL kwargs that name a demo record, per URL name: {url name: {kwarg: kind}} (kinds: Demo._records). Admin object
# pages (admin:<app>_<model>_change/delete/history) are mapped from their name.
OBJECT_KWARGS = {
    "registry:delivery-detail": {"pk": "delivery"},
    "registry:delivery-attach": {"pk": "delivery"},
    "registry:document-download": {"pk": "document_version"},
    "registry:document-version": {"pk": "document"},
    "registry:outgoing-detail": {"pk": "outgoing"},
    "registry:case-detail": {"pk": "case"},
    "registry:case-status": {"pk": "case"},
    "registry:case-worker": {"pk": "case"},
    "registry:case-party": {"pk": "case"},
    "registry:case-document": {"pk": "case"},
    "registry:case-metryka-csv": {"pk": "case"},
    "registry:case-metryka-xlsx": {"pk": "case"},
    "registry:document-detail": {"pk": "document"},
    "registry:document-page": {"pk": "document_version"},
    "registry:version-thumbnail": {"pk": "document_version"},
    "registry:version-page-image": {"pk": "document_version"},
    "registry:case-class": {"pk": "case"},
    "registry:correspondent-detail": {"pk": "correspondent"},
    "registry:correspondent-edit": {"pk": "correspondent"},
    "registry:correspondent-merge": {"pk": "correspondent"},
    "workflow:task": {"pk": "task"},
    "workflow:claim": {"pk": "task"},
    "workflow:process_chart": {"pk": "task"},
    "workflow:task_file": {"pk": "task_with_file", "version_pk": "task_file"},
    "workflow:start_route": {"case_pk": "case"},
    "workflow:route": {"version_pk": "route_version"},
    "deadlines:case": {"case_pk": "case"},
    "deadlines:notice": {"pk": "extension"},
    "deadlines:notice-text": {"pk": "extension"},
    "deadlines:save-notice": {"pk": "extension"},
    "search:delete-saved": {"pk": "saved_search"},
    "organisation:substitution-revoke": {"pk": "substitution"},
    "dispatch:prepare": {"task_pk": "dispatch_task"},
    "dispatch:close-case": {"case_pk": "case"},
    "dispatch:item": {"pk": "shipment"},
    "dispatch:envelope": {"pk": "shipment"},
    "dispatch:zpo": {"pk": "shipment"},
    "archive:handover-detail": {"pk": "handover"},
    "archive:handover-action": {"pk": "handover"},
    "archive:handover-pdf": {"pk": "handover"},
    "archive:handover-csv": {"pk": "handover"},
    "archive:handover-xlsx": {"pk": "handover"},
    "archive:disposal-detail": {"pk": "disposal"},
    "archive:disposal-pdf": {"pk": "disposal"},
    "archive:disposal-xml": {"pk": "disposal"},
    "archive:disposal-action": {"pk": "disposal"},
    "archive:hold": {"pk": "archived_case"},
    "archive:case": {"pk": "archived_case"},
    "archive:loan-request": {"pk": "archived_case"},
    "archive:storage": {"pk": "archived_case"},
    "archive:loan-action": {"pk": "loan"},
    "archive:document-metadata": {"pk": "document"},
    "archive:package-detail": {"pk": "package"},
    "archive:package-progress": {"pk": "package"},
    "archive:package-download": {"pk": "package"},
    "archive:package-action": {"pk": "package"},
    "replies:accept": {"task_pk": "task", "pk": "case_proposal"},
    "replies:decline": {"task_pk": "task", "pk": "case_proposal"},
    "api-delivery-detail": {"pk": "delivery"},
    "api-case-detail": {"pk": "case"},
    "api-case-history": {"pk": "case"},
    "api-correspondent-detail": {"pk": "correspondent"},
    "api-document-detail": {"pk": "document"},
    "api-document-version-page-image": {"pk": "document_version"},
    "api-document-version-text": {"pk": "document_version"},
    "api-document-version-thumbnail": {"pk": "document_version"},
    "api-shipment-detail": {"pk": "shipment"},
    "api-shipment-channel": {"pk": "shipment"},
    "api-shipment-tracking": {"pk": "shipment"},
    "api-archive-retention": {"pk": "case"},
    "api-archive-metadata": {"pk": "document"},
    "api-document-version-download": {"pk": "document_version"},
    "api-task-detail": {"pk": "task"},
    "api-task-decide": {"pk": "task"},
    "admin:auth_user_password_change": {"id": "user"},
    "admin:view_on_site": {"content_type_id": "content_type", "object_id": "view_on_site_object"},
}
ADMIN_OBJECT = re.compile(r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?:change|delete|history)$")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes included
    name: str  # namespaced URL name ("" when unnamed)
    kwargs: tuple[str, ...]  # kwargs taken from the path (not the pattern's default args)

    @property
    def id(self):
        return f"{self.name or '(unnamed)'}[{self.route}]"


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x)
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            kwargs = tuple(k for k in p.pattern.regex.groupindex if k not in p.default_args)
            yield Route(prefix + str(p.pattern), name, kwargs)


def all_routes() -> list[Route]:
    seen, routes = set(), []
    for r in _walk(get_resolver()):
        # DRF routers of several apps each add the API root; the first one answers, the others are unreachable.
        if r.route in seen:
            continue
        seen.add(r.route)
        routes.append(r)
    return routes


def object_kwargs(route: Route) -> dict[str, str]:
    if route.name not in OBJECT_KWARGS and ADMIN_OBJECT.match(route.name) and "object_id" in route.kwargs:
        return {"object_id": "admin"}
    return {k: v for k, v in OBJECT_KWARGS.get(route.name, {}).items() if k in route.kwargs}


def unknown_kwargs(route: Route) -> list[str]:
    return [k for k in route.kwargs if k not in VALUE_KWARGS and k not in object_kwargs(route)]


def excluded(route: Route) -> bool:
    return any(re.match(pattern, route.route) and not route.name for pattern, _reason in EXCLUDED)


CRAWLED = [r for r in all_routes() if not excluded(r)]


# --------------------------------------------------------------------------------------------------------------------
# The demo office, loaded once for the module
# --------------------------------------------------------------------------------------------------------------------
class Demo:
    """The demo records by kind, and for each role which of them it may see (through the one access rule)."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.users = {
            role: (get_user_model().objects.get(username=u) if u else None) for role, u in ROLES.items()
        }
        self._visible, self._all = {}, {}
        self.clients = {}
        for role, user in self.users.items():
            # Logged in here, inside the module's transaction, so the sessions last for every test of the module.
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            self.clients[role] = client

    def all(self, kind):
        if kind not in self._all:
            self._all[kind] = self._records(kind)
        return self._all[kind]

    def _records(self, kind):
        from django.contrib.auth import get_user_model

        from archive.models import DisposalList, HandoverList, Loan
        from archive.package_models import ArchivalPackage
        from deadlines.models import Extension
        from dispatch.models import Shipment
        from dispatch.selectors import tasks_to_prepare
        from organisation.models import Substitution
        from registry.models import Case, Correspondent, Delivery, Document, DocumentVersion, OutgoingItem
        from replies.models import CaseProposal
        from search.models import SavedSearch
        from workflow.models import RouteVersion, WorkTask

        if kind == "archived_case":
            return list(Case.objects.filter(custody__isnull=False).order_by("pk"))
        if kind == "dispatch_task":
            return list(tasks_to_prepare().order_by("pk"))
        models = {
            "delivery": Delivery, "case": Case, "document": Document, "document_version": DocumentVersion,
            "outgoing": OutgoingItem, "correspondent": Correspondent, "task": WorkTask,
            "route_version": RouteVersion, "extension": Extension, "saved_search": SavedSearch,
            "user": get_user_model(), "shipment": Shipment, "handover": HandoverList, "disposal": DisposalList,
            "loan": Loan, "substitution": Substitution, "package": ArchivalPackage, "case_proposal": CaseProposal,
        }
        queryset = models[kind].objects.order_by("pk")
        if kind == "task":
            # Open tasks and a few finished ones: the visibility of each is asked task by task (_may_view), and
            # hundreds of finished dekretacja steps would add time, not cases.
            from viewflow.workflow.status import STATUS

            finished = list(queryset.filter(status=STATUS.DONE).order_by("-pk")[:10])
            return sorted([*queryset.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]), *finished],
                          key=lambda t: t.pk)
        return list(queryset)

    def visible(self, kind, role) -> list:
        """The records of `kind` the role may see; None when the kind is not restricted per record."""
        key = (kind, role)
        if key not in self._visible:
            self._visible[key] = self._compute_visible(kind, self.users[role])
        return self._visible[key]

    def _compute_visible(self, kind, user):
        from deadlines.models import Extension
        from registry.access import scope_for
        from registry.models import Case, Delivery, Document, DocumentVersion, OutgoingItem
        from search.models import SavedSearch
        from workflow.views import _may_view

        scope = scope_for(user)
        # Not restricted per record: every role gets the same answer for any of them (pages of the clerks, or of
        # the archivist, or POST-only actions).
        if kind in ("correspondent", "route_version", "user", "substitution", "dispatch_task", "disposal", "package",
                    "case_proposal"):
            return None
        if user is None:
            return []
        if kind == "shipment":
            from dispatch.models import Shipment

            return list(Shipment.objects.filter(item__in=scope.outgoing(OutgoingItem.objects.all())).order_by("pk"))
        if kind == "handover":
            from archive.views import _visible_handovers

            return list(_visible_handovers(user).order_by("pk"))
        if kind == "archived_case":
            from archive.selectors import archived_cases

            return list(archived_cases(user).order_by("pk"))
        if kind == "loan":
            from archive.models import Loan
            from archive.selectors import visible_cases

            return list(Loan.objects.filter(case__in=visible_cases(user)).order_by("pk"))
        if kind == "delivery":
            return list(scope.deliveries(Delivery.objects.order_by("pk")))
        if kind == "case":
            return list(scope.cases(Case.objects.order_by("pk")))
        if kind == "document":
            return list(scope.documents(Document.objects.order_by("pk")))
        if kind == "document_version":
            return list(DocumentVersion.objects.filter(document__in=scope.documents(Document.objects)).order_by("pk"))
        if kind == "outgoing":
            return list(scope.outgoing(OutgoingItem.objects.order_by("pk")))
        if kind == "extension":
            return list(Extension.objects.filter(deadline__case__in=scope.cases(Case.objects)).order_by("pk"))
        if kind == "saved_search":
            return list(SavedSearch.objects.filter(user=user).order_by("pk"))
        if kind == "task":
            return [t for t in self.all("task") if _may_view(user, t)]
        raise AssertionError(kind)

    @functools.cached_property
    def task_file_pairs(self):
        """(task, document version) pairs a task page links to: approval tasks and the draft under decision."""
        from viewflow.workflow.status import STATUS

        from workflow.models import ApprovalProcess, WorkTask

        processes = {p.pk: p for p in ApprovalProcess.objects.select_related("document")}
        pairs = []
        for task in WorkTask.objects.filter(process_id__in=processes).exclude(status=STATUS.CANCELED).order_by("pk"):
            version = processes[task.process_id].document.current_version
            if version is not None:
                pairs.append((task, version))
        return pairs


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo office, loaded once inside a transaction rolled back after the module's tests; each test runs in a
    savepoint inside it (django_db), so what a GET might write does not leak into the next test."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings

    # A media folder of our own: pytest's shared basetemp is pruned by other pytest runs on the same machine.
    media = tempfile.mkdtemp(prefix="obieg-crawl-media-")
    fast = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    try:
        with django_db_blocker.unblock(), fast:
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                # pytest-django sets up the test database only for tests marked django_db (pytestmark below).
                assert connection.settings_dict["NAME"].startswith("test_"), "not on the test database"
                call_command("load_demo", copies=1, stdout=io.StringIO())
                yield Demo()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        shutil.rmtree(media, ignore_errors=True)


# --------------------------------------------------------------------------------------------------------------------
# Building URLs and requesting them
# --------------------------------------------------------------------------------------------------------------------
def _object_value(demo, kind, role, route):
    """The id to put in a URL for `role`: a record it may see when there is one, otherwise any record."""
    from django.contrib.contenttypes.models import ContentType

    if kind == "admin":
        m = ADMIN_OBJECT.match(route.name)
        model = apps.get_model(m["app"], m["model"])
        obj = model._default_manager.order_by("pk").first()
        # Models the demo has no rows of (auth groups, API tokens, channel imports) get the missing-record page.
        return obj.pk if obj is not None else MISSING_ID
    if kind in ("disposal", "package", "case_proposal") and not demo.all(kind):
        # Not in the demo yet (brakowanie needs the state archive's consent, a package is built by a worker, a reply
        # proposal by an incoming letter): the missing-record answer is crawled.
        return MISSING_ID
    if kind == "content_type":
        return ContentType.objects.get_for_model(apps.get_model("registry", "Case")).pk
    if kind == "view_on_site_object":
        return demo.all("case")[0].pk
    if kind in ("task_with_file", "task_file"):
        pairs = demo.task_file_pairs
        assert pairs, "the demo has no task with a document on an approval route"
        visible = demo.visible("task", role) or []
        task, version = next(((t, v) for t, v in pairs if t in visible), pairs[0])
        return task.pk if kind == "task_with_file" else version.pk
    records = demo.all(kind)
    assert records, f"the demo has no {kind} (needed by {route.name})"
    visible = demo.visible(kind, role)
    return (visible or records)[0].pk


def urls_for(route, role, demo) -> list[str]:
    assert not unknown_kwargs(route), f"{route.id}: unknown URL kwargs {unknown_kwargs(route)}: add them to the crawl"
    fixed = {k: _object_value(demo, kind, role, route) for k, kind in object_kwargs(route).items()}
    values = [VALUE_KWARGS[k] for k in route.kwargs if k in VALUE_KWARGS]
    names = [k for k in route.kwargs if k in VALUE_KWARGS]
    urls = []
    for combo in itertools.product(*values):
        kwargs = {**fixed, **dict(zip(names, combo, strict=True))}
        urls.append(reverse(route.name, kwargs=kwargs or None))
    return urls


def describe(response) -> str:
    exc = getattr(response, "exc_info", None)
    if exc:
        return "".join(traceback.format_exception(*exc)[-3:]).strip()
    return response.content[:300].decode(errors="replace")


def server_errors(client, urls) -> list[str]:
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} → {response.status_code}: {describe(response)}")
    return problems


# --------------------------------------------------------------------------------------------------------------------
# Known failures fixed on another branch: exact (url name, role, case) → strict xfail, flipped after the merge
# --------------------------------------------------------------------------------------------------------------------
LOGGED_IN = [r for r in ROLES if ROLES[r]]
KNOWN: dict = {
    # (test, route, role): reason — none left: api-access and dispatch are merged.
}


# The admin is for staff only: every other role gets the same login redirect there, so the crawl opens admin pages
# as the administrator, anonymously and as one non-staff role (a clerk), not as all of them.
ADMIN_ROLES = ("anonymous", "clerk", "admin")


def _params(routes, roles, test):
    for route in routes:
        for role in roles:
            if route.route.startswith("admin/") and role not in ADMIN_ROLES:
                continue
            reason = KNOWN.get((test, route.route, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(route, role, id=f"{route.id}-{role}", marks=marks)


def test_known_failures_name_crawled_routes():
    """An entry of KNOWN that no longer matches a crawled route would silently stop guarding anything."""
    routes = {r.route for r in CRAWLED}
    assert {route for _test, route, _role in KNOWN} <= routes


# --------------------------------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------------------------------
def test_every_url_kwarg_is_known():
    problems = {r.id: unknown_kwargs(r) for r in CRAWLED if unknown_kwargs(r)}
    assert problems == {}, "URL kwargs the crawl does not know; map them in VALUE_KWARGS or OBJECT_KWARGS"
    unnamed = [r.route for r in CRAWLED if not r.name]
    assert unnamed == [], "unnamed patterns cannot be reversed: name them or add them to EXCLUDED with the reason"


def test_crawl_covers_our_apps_api_and_admin():
    names = {r.name for r in CRAWLED}
    for expected in ("registry:home", "registry:case-detail", "workflow:task", "deadlines:dashboard",
                     "search:page", "api-case-detail", "api-search", "admin:registry_case_change", "login"):
        assert expected in names


@pytest.mark.parametrize(("route", "role"), list(_params(CRAWLED, ROLES, "get")))
def test_get_answers_without_server_error(demo, route, role):
    client = demo.clients[role]
    assert server_errors(client, urls_for(route, role, demo)) == []


# Kinds of record the access rule (or ownership) restricts per record; a role that sees every record of a kind
# (a clerk and the registers) has nothing hidden to check for it.
RESTRICTED_KINDS = {"delivery", "case", "document", "document_version", "outgoing", "extension", "saved_search", "task",
                    "shipment", "handover", "archived_case", "loan"}
RESTRICTED = [r for r in CRAWLED if set(object_kwargs(r).values()) & RESTRICTED_KINDS]


def test_demo_hides_every_restricted_kind_from_someone(demo):
    """Otherwise the hidden-record checks below would have nothing to check for that kind."""
    for kind in sorted(RESTRICTED_KINDS):
        hidden_from = [role for role in LOGGED_IN
                       if len(demo.visible(kind, role) or []) < len(demo.all(kind))]
        assert hidden_from, f"every role sees every {kind} of the demo"


CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*')


def _normalise(response, url) -> tuple:
    """Status, redirect and body, with the requested address (which differs only by the id) taken out."""
    from urllib.parse import quote

    body = response.content.decode(errors="replace")
    location = response.get("Location", "")
    for form in (url, quote(url, safe="")):
        body, location = body.replace(form, "<url>"), location.replace(form, "<url>")
    # The CSRF token of the page's forms (log out, language) is masked afresh in every response.
    body = CSRF_VALUE.sub(r"\1<csrf>", body)
    return response.status_code, location, body


@pytest.mark.parametrize(("route", "role"), list(_params(RESTRICTED, ROLES, "hidden")))
def test_hidden_record_answers_like_a_missing_one(demo, route, role):
    """For every record kind in the URL: an id the role may not see answers exactly as an id that does not exist."""
    client = demo.clients[role]
    for kwarg, kind in object_kwargs(route).items():
        if kind not in RESTRICTED_KINDS:
            continue
        visible = {o.pk for o in demo.visible(kind, role) or []}
        hidden = [o.pk for o in demo.all(kind) if o.pk not in visible]
        if not hidden:
            continue
        base = {k: _object_value(demo, kd, role, route) for k, kd in object_kwargs(route).items()}
        value_kwargs = {k: VALUE_KWARGS[k][0] for k in route.kwargs if k in VALUE_KWARGS}
        hidden_url = reverse(route.name, kwargs={**base, **value_kwargs, kwarg: hidden[0]})
        missing_url = reverse(route.name, kwargs={**base, **value_kwargs, kwarg: MISSING_ID})
        hidden_answer = _normalise(client.get(hidden_url), hidden_url)
        missing_answer = _normalise(client.get(missing_url), missing_url)
        assert hidden_answer[0] < 500, f"GET {hidden_url} → {hidden_answer[0]}"
        assert hidden_answer == missing_answer, (
            f"{role}: GET {hidden_url} (hidden) → {hidden_answer[0]} {hidden_answer[1]}, "
            f"GET {missing_url} (missing) → {missing_answer[0]} {missing_answer[1]}"
        )
        if role != "anonymous":
            assert hidden_answer[0] in (404, 405), f"{hidden_url}: a hidden record must answer 404"


# --------------------------------------------------------------------------------------------------------------------
# Odd input: a NUL byte in every filter people type or links carry, and ids that are not ids
# --------------------------------------------------------------------------------------------------------------------
ODD_QUERY = "&".join(f"{name}=%00" for name in (
    "q", "page", "status", "unit", "case_worker", "jrwa_class", "channel", "year", "kind", "date_from", "date_to",
    "received_from", "received_to", "ordering", "bucket", "overdue", "sender", "form", "search",
))
ODD_IDS = ["null,null", "1,2", "-1", "%00"]  # for string-typed kwargs (DRF routes take `[^/.]+`)
ODD_ROLES = ["clerk", "worker", "admin"]  # anonymous requests stop at the login redirect before any filter


def _odd_urls(route, role, demo) -> list[str]:
    urls = [f"{url}?{ODD_QUERY}" for url in urls_for(route, role, demo)]
    for kwarg in object_kwargs(route):
        converter = re.search(rf"<(?:(\w+):)?{kwarg}>|\(\?P<{kwarg}>\[\^/\.\]\+\)", route.route)
        if converter and converter.group(1) is None:  # a string kwarg: <pk> or DRF's (?P<pk>[^/.]+)
            base = {k: _object_value(demo, kind, role, route) for k, kind in object_kwargs(route).items()}
            values = {k: VALUE_KWARGS[k][0] for k in route.kwargs if k in VALUE_KWARGS}
            for odd in ODD_IDS:
                urls.append(reverse(route.name, kwargs={**base, **values, kwarg: "ODD"}).replace("ODD", odd))
    return urls


@pytest.mark.parametrize(("route", "role"), list(_params(CRAWLED, ODD_ROLES, "odd")))
def test_odd_input_answers_without_server_error(demo, route, role):
    assert server_errors(demo.clients[role], _odd_urls(route, role, demo)) == []


# --------------------------------------------------------------------------------------------------------------------
# Links: no page offers a link its reader cannot follow
# --------------------------------------------------------------------------------------------------------------------
PAGE_ROUTES = [r for r in CRAWLED if not r.route.startswith(("admin/", "api/")) and not r.name.startswith("api")]
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"', re.I)
MAIN = re.compile(r"<main\b.*?</main>", re.S | re.I)


def _link_shape(href: str) -> str:
    """One link per shape is followed: /sprawy/12/ and /sprawy/13/ are the same page for this purpose."""
    from urllib.parse import urlsplit

    return re.sub(r"\d+", "N", urlsplit(href).path)


@pytest.mark.parametrize("role", LOGGED_IN)
def test_pages_link_only_to_what_their_reader_may_open(demo, role):
    """Walking the demo as a user would (found in the browser: the secretary was offered "Add a correspondent" and
    got a 403): every link in the content of every page a role opens leads to a page that role may open."""
    from html import unescape

    client = demo.clients[role]
    followed: set[str] = set()  # link shapes already followed
    dead = []
    for route in PAGE_ROUTES:
        for url in urls_for(route, role, demo):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            main = MAIN.search(response.content.decode(errors="replace"))
            for href in HREF.findall(main.group(0) if main else ""):
                href = unescape(href)
                shape = _link_shape(href)
                if shape in followed or href.startswith(("/admin/", "/api/", "/static/", "/media/")):
                    continue
                status = client.get(href).status_code
                followed.add(shape)
                if status in (403, 404):
                    dead.append(f"{url} links to {href} → {status}")
    assert followed, "no links followed"
    assert dead == []
