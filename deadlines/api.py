"""Read-only API of the deadlines module: the visible open cases with their due dates, and the dashboard counts.
Filtered by the same access rule as the pages."""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
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


def _filters(params) -> selectors.Filters:
    def as_int(name):
        value = params.get(name)
        return int(value) if value and value.isascii() and value.isdigit() else None

    bucket = params.get("bucket")
    if "\x00" in (params.get("q") or ""):  # PostgreSQL refuses NUL in text
        raise ValidationError({"q": [ProhibitNullCharactersValidator.message]})
    return selectors.Filters(
        unit=as_int("unit"), case_worker=as_int("case_worker"), kind=as_int("kind"),
        bucket=bucket if bucket in selectors.BUCKETS else None, q=(params.get("q") or "").strip()[:100],
    )


class CaseDeadlineList(generics.ListAPIView):
    serializer_class = CaseDeadlineSerializer
    filter_backends: list = []

    def get_queryset(self):
        today = timezone.localdate()
        qs = selectors.visible_deadlines(self.request.user)
        return selectors.case_list(selectors.apply_filters(qs, _filters(self.request.query_params), today))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class DeadlineSummary(APIView):
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
