"""REST API of the archive: the retention of a case (with why), the NES metadata of a document and the retention
calendar. The same functions as the pages; the same access rule (a record one may not see is a 404)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from archive import nes, selectors
from archive import retention as rules
from archive.models import CaseRetention
from registry.access import scope_for
from registry.models import Case, Document


class RetentionSerializer(serializers.ModelSerializer):
    sign = serializers.CharField(source="case.sign")
    jrwa_symbol = serializers.CharField(source="jrwa_class.symbol")
    jrwa_version = serializers.CharField(source="jrwa_class.version.name")
    summary = serializers.SerializerMethodField()
    why = serializers.SerializerMethodField()
    in_archive = serializers.SerializerMethodField()

    class Meta:
        model = CaseRetention
        fields = ["case", "sign", "category", "kind", "years", "jrwa_symbol", "jrwa_version", "closed_on",
                  "counted_from", "office_archive_from", "eligible_from", "review_from", "state_archive_from",
                  "computed_at", "summary", "why", "in_archive"]

    def get_summary(self, obj) -> str:
        return rules.summary(obj)

    def get_why(self, obj) -> list[str]:
        return rules.explain(obj, obj.jrwa_class)

    def get_in_archive(self, obj) -> bool:
        return hasattr(obj.case, "custody")


class CaseRetentionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=RetentionSerializer, summary="Retention of a closed case, with the reason")
    def get(self, request, pk):
        case = scope_for(request.user).cases(Case.objects.filter(pk=pk)).first()
        row = (CaseRetention.objects.filter(case=case).select_related("case__custody", "jrwa_class__version")
               .first() if case else None)
        if row is None:
            raise Http404
        return Response(RetentionSerializer(row).data)


class DocumentMetadataView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="The 14 NES metadata elements of a document")
    def get(self, request, pk):
        document = scope_for(request.user).documents(nes.documents_for_nes(Document.objects.filter(pk=pk))).first()
        if document is None:
            raise Http404
        return Response(nes.as_dict(document))


class RetentionCalendarView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("archived", OpenApiTypes.BOOL, description="only files held by the archive")],
        responses=OpenApiTypes.OBJECT, summary="Per year: cases eligible for disposal, due for review, for the AP",
    )
    def get(self, request):
        archived = request.query_params.get("archived") in ("1", "true")
        return Response({"years": selectors.retention_calendar(request.user, archived_only=archived)})
