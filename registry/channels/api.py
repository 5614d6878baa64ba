"""REST intake of ePUAP documents: `POST /api/v1/intake/epuap/` (registry clerks).

The body is the document XML itself (`Content-Type: application/xml` or `text/xml`), or multipart/form-data with the
XML in the file field `document`. Optional: `upp_id` and `submitted_at` (ISO 8601, the time of the UPP – the filing
time) as query parameters or form fields. Answers 201 with the delivery, or 200 with the delivery registered earlier
for the same document; 400 with a translated message for malformed or unsafe XML."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api import DeliverySerializer, IsRegistryClerk, _api_errors
from registry.api_parsers import StrictMultiPartParser
from registry.channels import epuap
from registry.models import Delivery


class RawXmlParser(BaseParser):
    """The request body as bytes, read no further than the ePUAP document limit."""

    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.EPUAP_MAX_DOCUMENT_SIZE
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise ParseError(
                _("The ePUAP document is larger than the limit of %(limit)d MB.") % {"limit": limit // (1024 * 1024)}
            )
        return data


class TextXmlParser(RawXmlParser):
    media_type = "text/xml"


class IntakeQuery(serializers.Serializer):
    submitted_at = serializers.DateTimeField(
        required=False, error_messages={"invalid": gettext_lazy("Give the date and time in ISO 8601.")}
    )
    upp_id = serializers.CharField(required=False)


class EpuapIntakeView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsRegistryClerk]
    parser_classes = [RawXmlParser, TextXmlParser, StrictMultiPartParser]

    @extend_schema(
        tags=["deliveries"],
        summary="Register an ePUAP document",
        request={"application/xml": OpenApiTypes.BINARY, "multipart/form-data": OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("submitted_at", OpenApiTypes.DATETIME, OpenApiParameter.QUERY, required=False),
            OpenApiParameter("upp_id", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False),
        ],
        responses={201: DeliverySerializer, 200: DeliverySerializer},
    )
    def post(self, request):
        data = request.data
        if isinstance(data, bytes):
            xml_bytes, fields = data, request.query_params
        else:
            upload = request.FILES.get("document")
            if upload is None:
                raise ApiValidationError({"document": [_("Send the ePUAP document XML in the field “document”.")]})
            if upload.size > settings.EPUAP_MAX_DOCUMENT_SIZE:
                raise ApiValidationError({"document": [
                    _("The ePUAP document is larger than the limit of %(limit)d MB.")
                    % {"limit": settings.EPUAP_MAX_DOCUMENT_SIZE // (1024 * 1024)}
                ]})
            xml_bytes, fields = upload.read(), {**request.query_params.dict(), **data.dict()}
        query = IntakeQuery(data={k: fields[k] for k in ("submitted_at", "upp_id") if fields.get(k)})
        query.is_valid(raise_exception=True)  # also refuses NUL bytes, which PostgreSQL cannot store
        upp = None
        if "submitted_at" in query.validated_data:
            upp = {"submitted_at": query.validated_data["submitted_at"]}
            if query.validated_data.get("upp_id"):
                upp["id"] = query.validated_data["upp_id"][:200]
        try:
            delivery, created = epuap.register_document(xml_bytes, registered_by=request.user, upp=upp)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from exc
        delivery = Delivery.objects.select_related("sender").prefetch_related("documents__versions").get(
            pk=delivery.pk
        )
        return Response(
            DeliverySerializer(delivery, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
