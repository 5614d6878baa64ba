"""GET /api/v1/search/ – the same parameters as the search page; results, counts and facets filtered by access."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from search.forms import SearchForm
from search.index.query import QuerySyntaxError
from search.index.service import facet_labels, search


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["delivery", "case", "document"])
    id = serializers.IntegerField(source="object_id")
    number = serializers.CharField(source="display_id", help_text="RPW number or case sign")
    title = serializers.CharField()
    title_html = serializers.CharField(help_text="title with <mark> around the matched words (escaped HTML)")
    subtitle = serializers.CharField()
    snippet_html = serializers.CharField(help_text="best passage of the text, escaped HTML with <mark>")
    date = serializers.DateField()
    score = serializers.FloatField()
    identifier_match = serializers.BooleanField(source="identifier_hit")
    url = serializers.CharField()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()

SearchResponse = inline_serializer(
    "SearchResponse",
    {
        "count": serializers.IntegerField(),
        "count_exact": serializers.BooleanField(help_text="false: more matches than counted (count is a bound)"),
        "next_cursor": serializers.CharField(help_text="pass as `cursor` for the next page; empty on the last"),
        "results": HitSerializer(many=True),
        "facets": serializers.DictField(child=FacetValueSerializer(many=True)),
    },
)

_MULTI = "repeat the parameter for several values"
PARAMETERS = [
    OpenApiParameter("q", str, description='words, "phrase", prefix*, OR, NOT/-word, (…); RPW number or case sign'),
    OpenApiParameter("kind", str, many=True, enum=["delivery", "case", "document"], description=_MULTI),
    OpenApiParameter("unit", int, many=True, description="unit id (its sub-units included); " + _MULTI),
    OpenApiParameter("jrwa", str, description="JRWA symbol at any level (prefix), e.g. 67"),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("channel", str, many=True, description=_MULTI),
    OpenApiParameter("sender", int, description="correspondent id"),
    OpenApiParameter("case_worker", int, description="user id"),
    OpenApiParameter("status", str, many=True, description="case or delivery status; " + _MULTI),
    OpenApiParameter("category", str, many=True, description="archival category (A, B5, BE10…); " + _MULTI),
    OpenApiParameter("year", int, many=True, description=_MULTI),
    OpenApiParameter("sort", str, enum=["relevance", "date", "date_asc"]),
    OpenApiParameter("size", int, description="1–100, default 20"),
    OpenApiParameter("cursor", str, description="`next_cursor` of the previous page"),
]


class SearchAPIView(APIView):
    @extend_schema(operation_id="search", parameters=PARAMETERS, responses=SearchResponse, tags=["search"])
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        try:
            result = search(request.user, form.to_request())
        except QuerySyntaxError as exc:
            raise ValidationError({"q": [str(exc)]}) from exc
        return Response(
            {
                "count": result.total,
                "count_exact": result.total_exact,
                "next_cursor": result.next_cursor,
                "results": HitSerializer(result.hits, many=True).data,
                "facets": facet_labels(result.facets),
            }
        )
