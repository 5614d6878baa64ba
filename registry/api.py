"""REST API of the registry: register deliveries with attachments, read deliveries, cases and their history."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from organisation.models import OrgUnit, Role
from registry.access import scope_for
from registry.api_parsers import StrictMultiPartParser
from registry.models import (
    Case,
    CaseParty,
    Channel,
    Correspondent,
    Delivery,
    Document,
    DocumentVersion,
    Form,
    HistoryEntry,
)
from registry.services import correspondents as correspondent_services
from registry.services.deliveries import register_delivery


def _api_errors(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError({k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()})
    return ApiValidationError({"non_field_errors": exc.messages})


class CorrespondentSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Correspondent
        fields = [
            "id", "kind", "display_name", "first_name", "last_name", "name", "pesel", "nip", "regon", "krs",
            "street", "building_number", "flat_number", "postal_code", "city", "country", "email",
            "epuap_address", "ade",
        ]

    def validate(self, attrs):
        instance = Correspondent(**attrs)
        try:
            instance.full_clean(exclude=["search_text"])
        except DjangoValidationError as exc:
            raise _api_errors(exc) from exc
        return attrs


class DocumentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "size", "sha256", "mime_type", "created_at", "text_status"]


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    versions = DocumentVersionSerializer(many=True)


class DeliverySerializer(serializers.ModelSerializer):
    rpw = serializers.CharField(read_only=True)
    sender = CorrespondentSerializer(read_only=True, allow_null=True)
    addressed_unit = serializers.SlugRelatedField(slug_field="symbol", read_only=True, allow_null=True)
    assigned_unit = serializers.SlugRelatedField(slug_field="symbol", read_only=True, allow_null=True)
    case = serializers.SlugRelatedField(slug_field="sign", read_only=True, allow_null=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "rpw", "year", "number", "channel", "form", "received_at", "posted_on", "sender",
            "addressed_unit", "assigned_unit", "subject", "sender_reference", "letter_date", "paper_attachments",
            "paper_location", "remarks", "status", "case", "external_id", "registered_at", "documents",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.case_id and not getattr(instance, "case_shown", True):
            # A registry clerk's entry of a confidential case: as if it had no case (registry.access); its files
            # went into that case with it.
            data["case"] = None
            data["documents"] = [d for d, doc in zip(data["documents"], instance.documents.all(), strict=True)
                                 if doc.case_id is None]
        return data


class DeliveryCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    form = serializers.ChoiceField(choices=Form.choices)
    received_at = serializers.DateTimeField()
    posted_on = serializers.DateField(required=False, allow_null=True)
    subject = serializers.CharField(max_length=500)
    sender = serializers.PrimaryKeyRelatedField(
        queryset=Correspondent.objects.filter(merged_into__isnull=True), required=False, allow_null=True
    )
    new_sender = serializers.JSONField(
        required=False, help_text="A correspondent to create (fields as in /correspondents/) if `sender` is not given."
    )
    addressed_unit = serializers.SlugRelatedField(
        slug_field="symbol", queryset=OrgUnit.objects.filter(active=True), required=False, allow_null=True
    )
    sender_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    letter_date = serializers.DateField(required=False, allow_null=True)
    paper_attachments = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    paper_location = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    external_id = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)

    def validate(self, attrs):
        new_sender = attrs.pop("new_sender", None)
        if new_sender and attrs.get("sender"):
            raise ApiValidationError({"new_sender": [_("Give either sender or new_sender, not both.")]})
        if new_sender:
            nested = CorrespondentSerializer(data=new_sender)
            if not nested.is_valid():
                raise ApiValidationError({"new_sender": nested.errors})
            attrs["new_sender"] = nested.validated_data
        return attrs


class IsRegistryClerk(permissions.BasePermission):
    message = gettext_lazy("Only the registry clerks register deliveries.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return user.is_superuser or user.has_role(Role.REGISTRY_CLERK)


class MayEditCorrespondents(permissions.BasePermission):
    """As on the pages: registry clerks and unit staff add correspondents; everyone signed in reads them."""

    message = gettext_lazy("Only the registry clerks and the staff of a unit add correspondents.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return user.is_superuser or user.has_role(Role.REGISTRY_CLERK, Role.HEAD, Role.CASE_WORKER)


class DeliveryFilter(filters.FilterSet):
    received_from = filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_to = filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lte")

    class Meta:
        model = Delivery
        fields = ["year", "channel", "status", "form"]


@extend_schema(tags=["deliveries"])
class DeliveryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Incoming register (RPW). `POST` registers a delivery with its attachments (multipart/form-data, field
    `files` repeated). The same channel message (`channel` + `external_id`) or the same `Idempotency-Key` header
    registered twice returns the first delivery with status 200 instead of 201."""

    permission_classes = [permissions.IsAuthenticated, IsRegistryClerk]
    parser_classes = [StrictMultiPartParser, FormParser, JSONParser]
    filterset_class = DeliveryFilter

    def get_queryset(self):
        qs = Delivery.objects.select_related("sender", "addressed_unit", "assigned_unit", "case").prefetch_related(
            "documents__versions"
        )
        scope = scope_for(self.request.user)
        return scope.with_case_shown(scope.deliveries(qs)).order_by("-year", "-number")

    def get_serializer_class(self):
        return DeliveryCreateSerializer if self.action == "create" else DeliverySerializer

    @extend_schema(
        request={"multipart/form-data": DeliveryCreateSerializer},
        responses={201: DeliverySerializer, 200: DeliverySerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
    )
    def create(self, request, *args, **kwargs):
        serializer = DeliveryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        new_sender = data.pop("new_sender", None)
        key = request.headers.get("Idempotency-Key", "")[:100]
        try:
            if new_sender:
                data["sender"] = correspondent_services.get_or_create(new_sender)
            delivery, created = register_delivery(registered_by=request.user, idempotency_key=key, **data)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from exc
        delivery = self.get_queryset().get(pk=delivery.pk) if not created else Delivery.objects.get(pk=delivery.pk)
        return Response(
            DeliverySerializer(delivery, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CasePartySerializer(serializers.ModelSerializer):
    correspondent = CorrespondentSerializer(read_only=True)

    class Meta:
        model = CaseParty
        fields = ["role", "correspondent"]


class CaseSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="symbol", read_only=True)
    jrwa_symbol = serializers.CharField(source="jrwa_class.symbol", read_only=True)
    jrwa_title = serializers.CharField(source="jrwa_class.title", read_only=True)
    archival_category = serializers.CharField(source="jrwa_class.category_own", read_only=True)
    case_worker = serializers.StringRelatedField()

    class Meta:
        model = Case
        fields = [
            "id", "sign", "title", "unit", "jrwa_symbol", "jrwa_title", "archival_category", "year", "number",
            "status", "started_on", "closed_on", "closing_remarks", "case_worker", "confidential",
        ]


class CaseDetailSerializer(CaseSerializer):
    parties = CasePartySerializer(source="party_links", many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    deliveries = serializers.SlugRelatedField(slug_field="rpw", many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "parties", "documents", "deliveries"]


class HistoryEntrySerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()
    on_behalf_of = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = HistoryEntry
        fields = ["at", "actor_name", "actor_position", "on_behalf_of", "action", "description", "document"]

    def get_document(self, obj) -> str | None:
        if obj.document_version_id:
            return f"{obj.document_id}/v{obj.document_version.number}"
        return str(obj.document_id) if obj.document_id else None


class CaseFilter(filters.FilterSet):
    unit = filters.CharFilter(field_name="unit__symbol")
    jrwa = filters.CharFilter(field_name="jrwa_class__symbol", lookup_expr="startswith")
    case_worker = filters.CharFilter(field_name="case_worker__username")
    # Not BooleanFilter: it takes any other value for "no filter", and a typo would list the confidential cases too.
    confidential = filters.TypedChoiceFilter(choices=[("true", "true"), ("false", "false")],
                                             coerce=lambda value: value == "true")

    class Meta:
        model = Case
        fields = ["status", "year", "confidential"]


@extend_schema(tags=["cases"])
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases the user may see, with their parties, documents, deliveries and the metryka (`/history/`)."""

    filterset_class = CaseFilter

    def get_queryset(self):
        qs = Case.objects.select_related("unit", "jrwa_class", "case_worker")
        if self.action == "retrieve":
            qs = qs.prefetch_related("party_links__correspondent", "documents__versions", "deliveries")
        return scope_for(self.request.user).cases(qs).order_by("-year", "unit__symbol", "-number")

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])  # the whole metryka, unfiltered
    def history(self, request, pk=None, format=None):  # format: the router's `.json` suffix
        case = self.get_object()
        entries = (
            # The metryka as on the case page: also the entries of its deliveries (from before the case was
            # opened) and of its documents.
            HistoryEntry.objects.filter(Q(case=case) | Q(delivery__case=case) | Q(document__case=case))
            .select_related("document_version", "on_behalf_of")
            .order_by("at", "pk")
        )
        return Response(HistoryEntrySerializer(entries, many=True).data)


class CorrespondentQuery(serializers.Serializer):
    q = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)


@extend_schema(tags=["correspondents"])
class CorrespondentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Correspondents. `?q=` finds by name, town or identifier (as you type)."""

    serializer_class = CorrespondentSerializer
    permission_classes = [permissions.IsAuthenticated, MayEditCorrespondents]

    @extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        q = ""
        if self.action == "list":
            params = CorrespondentQuery(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            q = params.validated_data["q"]
        if q:
            return correspondent_services.find(q, limit=50)
        return Correspondent.objects.filter(merged_into__isnull=True).order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = correspondent_services.get_or_create(serializer.validated_data)


@extend_schema(tags=["documents"])
class DocumentVersionViewSet(viewsets.GenericViewSet):
    """Download a document version the user may see, its extracted text and its preview images."""

    serializer_class = DocumentVersionSerializer

    def get_queryset(self):
        # A version the user may not see is not in the queryset: it answers 404 like one that does not exist (a 403
        # would confirm that it does), and so does an id that is not a number.
        visible = scope_for(self.request.user).documents(Document.objects.all())
        return DocumentVersion.objects.filter(document__in=visible)

    def _visible_version(self, pk):
        from registry.views.documents import visible_version

        return visible_version(self.request.user, pk)  # 404 as for a version that does not exist

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True)
    def download(self, request, pk=None, format=None):  # format: the router's `.json` suffix
        from registry.services.documents import record_view

        version = self._visible_version(pk)
        if not version.file:
            raise Http404  # contents destroyed under a disposal list; the metadata stay
        record_view(version.document, actor=request.user, version=version, downloaded=True)
        response = FileResponse(
            version.file.open("rb"), as_attachment=True, filename=version.original_name,
            content_type=version.mime_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(responses={200: {"type": "object", "properties": {
        "status": {"type": "string"}, "error": {"type": "string"}, "text": {"type": "string"}}}})
    @action(detail=True)
    def text(self, request, pk=None, format=None):
        version = self._visible_version(pk)
        text = DocumentVersion.objects.filter(pk=version.pk).values_list("text", flat=True)[0]
        return Response({"status": version.text_status, "error": version.text_error, "text": text})

    def _image(self, pk, page, thumb):
        from registry.views.documents import _preview_image

        return _preview_image(self.request, pk, int(page), thumb=thumb)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, url_path=r"thumbnail/(?P<page>[0-9]{1,4})", url_name="thumbnail")
    def thumbnail(self, request, pk=None, page=None, format=None):
        return self._image(pk, page, True)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, url_path=r"page/(?P<page>[0-9]{1,4})", url_name="page-image")
    def page_image(self, request, pk=None, page=None, format=None):
        return self._image(pk, page, False)
