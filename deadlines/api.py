"""Read-only API of the deadlines module: the visible open cases with their due dates, and the dashboard counts.
Filtered by the same access rule as the pages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from deadlines import selectors
from deadlines.models import CaseDeadline


class CaseDeadlineSerializer(serializers.ModelSerializer):
    case_sign = serializers.CharField(source="case.sign")
    case_title = serializers.CharField(source="case.title")
    unit = serializers.CharField(source="case.unit.symbol")
    case_worker = serializers.CharField(source="case.case_worker.username")
    kind = serializers.CharField(source="kind.code")
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = CaseDeadline
        fields = [
            "case", "case_sign", "case_title", "unit", "case_worker", "kind", "start_date", "raw_due_date",
            "excluded_days", "due_date", "state", "deadline_state",
        ]

    def get_deadline_state(self, obj) -> str:
        return selectors.bucket_of(obj, self.context["today"])


class DeadlineQuery(serializers.Serializer):
    """The filters of the list and the summary; a value that is not a number or not a known bucket is refused (400)
    rather than silently ignored (the caller would take the unfiltered answer for the filtered one)."""

    unit = serializers.IntegerField(required=False, min_value=1, help_text="unit id")
    case_worker = serializers.IntegerField(required=False, min_value=1, help_text="user id")
    kind = serializers.IntegerField(required=False, min_value=1, help_text="deadline kind id")
    bucket = serializers.ChoiceField(choices=selectors.BUCKETS, required=False)
    q = serializers.CharField(required=False, allow_blank=True, default="", help_text="case sign or title")


def _filters(params) -> selectors.Filters:
    query = DeadlineQuery(data=params)
    query.is_valid(raise_exception=True)
    d = query.validated_data
    return selectors.Filters(
        unit=d.get("unit"), case_worker=d.get("case_worker"), kind=d.get("kind"), bucket=d.get("bucket"),
        q=d["q"].strip()[:100],
    )


@extend_schema_view(get=extend_schema(parameters=[DeadlineQuery], tags=["deadlines"]))
class CaseDeadlineList(generics.ListAPIView):
    serializer_class = CaseDeadlineSerializer
    filter_backends: list = []

    def get_queryset(self):
        today = timezone.localdate()
        qs = selectors.visible_deadlines(self.request.user)
        return selectors.case_list(selectors.apply_filters(qs, _filters(self.request.query_params), today))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


_COUNTS = {b: serializers.IntegerField() for b in [*selectors.BUCKETS, "total"]}
SummaryResponse = inline_serializer("DeadlineSummary", {
    "today": serializers.DateField(),
    "totals": inline_serializer("DeadlineTotals", _COUNTS),
    "by_unit": inline_serializer("DeadlineUnitRow", {
        "unit": serializers.IntegerField(), "symbol": serializers.CharField(), **_COUNTS,
    }, many=True),
    "by_case_worker": inline_serializer("DeadlineCaseWorkerRow", {
        "case_worker": serializers.IntegerField(), "username": serializers.CharField(), **_COUNTS,
    }, many=True),
})


class DeadlineSummary(APIView):
    @extend_schema(parameters=[DeadlineQuery], responses=SummaryResponse, tags=["deadlines"])
    def get(self, request):
        data = selectors.dashboard(request.user, _filters(request.query_params))
        return Response({
            "today": data["today"],
            "totals": data["totals"],
            "by_unit": [
                {"unit": r["case__unit_id"], "symbol": r["case__unit__symbol"],
                 **{b: r[b] for b in [*selectors.BUCKETS, "total"]}}
                for r in data["by_unit"]
            ],
            "by_case_worker": [
                {"case_worker": r["case__case_worker_id"], "username": r["case__case_worker__username"],
                 **{b: r[b] for b in [*selectors.BUCKETS, "total"]}}
                for r in data["by_case_worker"]
            ],
        })
