"""REST API of documents: a document's metadata with its versions (hash, size, type, extraction state, preview
state and the links to its preview images). The same access rule as the pages: a document the user may not see
answers 404 like a missing one."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from registry.access import scope_for
from registry.models import Document, DocumentVersion


class VersionDetailSerializer(serializers.ModelSerializer):
    added_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "size", "sha256", "mime_type", "comment", "created_at",
                  "added_by", "text_status", "text_error", "text_method", "text_extracted_at", "download", "preview"]

    def get_added_by(self, obj) -> str:
        return obj.created_by.get_full_name() or obj.created_by.username

    def _url(self, name, *args) -> str:
        request = self.context.get("request")
        path = reverse(name, args=args)
        return request.build_absolute_uri(path) if request else path

    def get_download(self, obj) -> str:
        return self._url("api-document-version-download", obj.pk)

    @extend_schema_field({
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ready", "pending", "unsupported", "failed"]},
            "reason": {"type": "string"}, "total_pages": {"type": "integer"},
            "pages": {"type": "array", "items": {"type": "object", "properties": {
                "number": {"type": "integer"}, "thumbnail": {"type": "string"}, "image": {"type": "string"}}}},
        },
    })
    def get_preview(self, obj) -> dict:
        from search.previews import preview_of

        preview = preview_of(obj)
        return {
            "status": preview.status, "reason": preview.reason, "total_pages": preview.total_pages,
            "pages": [
                {"number": n, "thumbnail": self._url("api-document-version-thumbnail", obj.pk, n),
                 "image": self._url("api-document-version-page-image", obj.pk, n)}
                for n in preview.numbers
            ],
        }


class DocumentDetailSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    case = serializers.SerializerMethodField()
    delivery = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    versions = VersionDetailSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "kind_display", "case", "delivery", "created_by", "created_at", "versions"]

    @extend_schema_field({"type": "object", "nullable": True,
                          "properties": {"id": {"type": "integer"}, "sign": {"type": "string"}}})
    def get_case(self, obj):
        return {"id": obj.case_id, "sign": obj.case.sign} if obj.case_id else None

    @extend_schema_field({"type": "object", "nullable": True,
                          "properties": {"id": {"type": "integer"}, "rpw": {"type": "string"}}})
    def get_delivery(self, obj):
        return {"id": obj.delivery_id, "rpw": obj.delivery.rpw} if obj.delivery_id else None

    def get_created_by(self, obj) -> str:
        return obj.created_by.get_full_name() or obj.created_by.username


class DocumentListSerializer(DocumentDetailSerializer):
    class Meta(DocumentDetailSerializer.Meta):
        fields = ["id", "title", "kind", "kind_display", "case", "delivery", "created_by", "created_at"]


@extend_schema(tags=["documents"])
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents the user may see (newest first); one document with its versions, their SHA-256, extraction and
    preview state."""

    def get_queryset(self):
        from django.db.models import Prefetch

        qs = Document.objects.select_related("case", "delivery", "created_by")
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch(
                "versions", queryset=DocumentVersion.objects.select_related("created_by").defer("text")
                .order_by("number"),
            ))
        return scope_for(self.request.user).documents(qs).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentListSerializer
