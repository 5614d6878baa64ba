"""What pages and the API call: search as a user, with labels, links and highlights."""

from django.urls import NoReverseMatch, reverse

from registry.access import scope_for
from search.index.backends import SearchRequest, SearchResult, get_backend
from search.index.highlight import highlight


def search(user, request: SearchRequest, backend=None) -> SearchResult:
    backend = backend or get_backend()
    result = backend.search(request, scope_for(user))
    q = result.parsed
    from search.forms import KIND_CHOICES

    kinds = dict(KIND_CHOICES)
    for hit in result.hits:
        hit.kind_label = kinds.get(hit.kind, hit.kind)
        hit.title_html = highlight(hit.title, q, whole=True)
        hit.snippet_html = highlight(hit.body, q) if hit.body else ""
        hit.url = record_url(hit.kind, hit.object_id)
    return result


_URLS = {
    "delivery": ["registry:delivery-detail", "api-delivery-detail"],
    "case": ["registry:case-detail", "api-case-detail"],
    "document": ["registry:document-detail"],
}


def record_url(kind: str, object_id: int) -> str:
    for name in _URLS.get(kind, []):
        try:
            return reverse(name, args=[object_id])
        except NoReverseMatch:
            continue
    return ""


def facet_labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[dict]]:
    """Facet values with human labels (one small query per facet that needs names)."""
    from organisation.models import OrgUnit, User
    from registry.models import Channel, Correspondent, JrwaClass
    from search.forms import KIND_CHOICES, STATUS_CHOICES

    labels: dict[str, dict[str, str]] = {
        "kind": {k: str(v) for k, v in KIND_CHOICES},
        "channel": {k: str(v) for k, v in Channel.choices},
        "status": {k: str(v) for k, v in STATUS_CHOICES},
    }
    ids = {
        name: [int(v) for v, _c in facets.get(name, []) if str(v).isdigit()]
        for name in ("unit", "sender", "case_worker")
    }
    labels["unit"] = {str(u.pk): f"{u.symbol} – {u.name}" for u in OrgUnit.objects.filter(pk__in=ids["unit"])}
    labels["sender"] = {str(c.pk): c.display_name for c in Correspondent.objects.filter(pk__in=ids["sender"])}
    labels["case_worker"] = {
        str(u.pk): u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids["case_worker"])
    }
    symbols = [v for v, _c in facets.get("jrwa", [])]
    labels["jrwa"] = {
        j.symbol: f"{j.symbol} {j.title}"
        for j in JrwaClass.objects.filter(symbol__in=symbols).order_by("version__valid_from")
    }
    out = {}
    for name, values in facets.items():
        out[name] = [
            {"value": v, "label": labels.get(name, {}).get(str(v), str(v)), "count": c} for v, c in values
        ]
    return out
