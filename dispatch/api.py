"""REST API of dispatch, so an integrator can drive it: the approved letters waiting (tasks), preparing them,
shipments with their state, dates and evidences, sending one or many (idempotent: a repeated call sends nothing),
changing the channel, tracking numbers and returned ZPOs. Registry clerks only; others get 404 for shipments of
cases they cannot see."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dispatch import dates, selectors
from dispatch.forms import CHANNELS, ReturnForm
from dispatch.models import Evidence, Shipment, State
from dispatch.services import delivery, prepare, send
from registry.access import scope_for
from registry.models import Correspondent, Document
from registry.views.common import is_clerk
from workflow.services import WorkflowError


def _errors(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError({k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()})
    return ApiValidationError({"non_field_errors": exc.messages})


class EvidenceSerializer(serializers.ModelSerializer):
    document = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "code", "evidence_id", "event_at", "document", "recorded_at"]


class ShipmentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    register_number = serializers.CharField(source="item.register_number", read_only=True)
    addressee = serializers.CharField(source="item.recipient.display_name", read_only=True)
    channel = serializers.CharField(source="item.channel", read_only=True)
    case_sign = serializers.CharField(source="item.case.sign", read_only=True, default="")
    tracking_number = serializers.CharField(source="item.tracking_number", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidences = EvidenceSerializer(many=True, read_only=True)
    why_this_date = serializers.SerializerMethodField()
    party_terms = serializers.SerializerMethodField()

    class Meta:
        model = Shipment
        fields = [
            "id", "register_number", "addressee", "channel", "ade", "case_sign", "documents", "state", "state_label",
            "last_error", "tracking_number", "message_id", "thread_id", "ref_to_message_id", "submitted_at",
            "available_at", "received_at", "deemed_on", "delivered_on", "why_this_date", "party_terms", "evidences",
        ]

    def get_why_this_date(self, obj) -> list[str]:
        return dates.explain(obj.delivery_basis)

    def get_party_terms(self, obj) -> list[dict]:
        if not obj.delivered_on:
            return []
        kind = obj.item.document.kind if obj.item.document_id else ""
        return [{"code": t.code, "legal_basis": t.legal_basis, "ends_on": t.ends_on}
                for t in dates.party_terms(obj.delivered_on, kind)]


class AddresseeSerializer(serializers.Serializer):
    correspondent = serializers.PrimaryKeyRelatedField(queryset=Correspondent.objects.all())
    channel = serializers.ChoiceField(choices=CHANNELS, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    public = serializers.BooleanField(required=False, default=False)


class PrepareSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    addressees = AddresseeSerializer(many=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, queryset=Document.objects.all(), required=False)


class SendSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)


class ChannelSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=CHANNELS)
    reason = serializers.CharField(max_length=300)


class TrackingSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=100)


class DispatchTaskSerializer(serializers.Serializer):
    """A row of GET /shipments/tasks/: an approved letter waiting for its addressees and channels."""

    task = serializers.IntegerField()
    case_sign = serializers.CharField()
    document = serializers.IntegerField(allow_null=True)
    document_title = serializers.CharField()
    proposed_addressees = serializers.ListField(child=serializers.IntegerField())


class ShipmentQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False, allow_blank=True)


# The shipment's key is its outgoing item's (one to one): an integer.
_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(list=extend_schema(parameters=[ShipmentQuery]), retrieve=extend_schema(parameters=[_ID]),
                    channel=extend_schema(parameters=[_ID]), tracking=extend_schema(parameters=[_ID]))
class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ShipmentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask
            return Shipment.objects.none()
        qs = Shipment.objects.select_related("item__recipient", "item__case", "item__document").prefetch_related(
            "documents", "evidences").order_by("-item__year", "-item__number")
        if self.action == "list":
            query = ShipmentQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)  # an unknown state (or a NUL byte) is a 400, never ignored
            if query.validated_data.get("state"):
                qs = qs.filter(state=query.validated_data["state"])
        if is_clerk(self.request.user):
            return qs
        scope = scope_for(self.request.user)
        from registry.models import Case

        visible = scope.cases(Case.objects.all()).values("pk")
        return qs.filter(item__case__in=visible)

    def _clerk(self):
        if not is_clerk(self.request.user):
            raise PermissionDenied("Only registry clerks dispatch.")

    @extend_schema(responses={200: DispatchTaskSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)  # a plain list: the queue is short
    def tasks(self, request, format=None):  # format: the router's `.json` suffix
        """Approved letters waiting for their addressees and channels."""
        self._clerk()
        rows = [{"task": t.pk, "case_sign": t.case.sign if t.case_id else "", "document": t.document_id,
                 "document_title": t.document.title if t.document_id else "",
                 "proposed_addressees": [c.pk for c in prepare.proposed_addressees(t.case)]}
                for t in selectors.tasks_to_prepare()]
        return Response(rows)

    @extend_schema(request=PrepareSerializer, responses={201: ShipmentSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def prepare(self, request, format=None):  # format: the router's `.json` suffix
        self._clerk()
        s = PrepareSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        addressees = [prepare.Addressee(a["correspondent"], channel=a["channel"], reason=a["reason"],
                                        public=a["public"]) for a in d["addressees"]]
        try:
            shipments = prepare.prepare(d["task"], user=request.user, addressees=addressees,
                                        documents=d.get("documents") or None)
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        except WorkflowError as exc:
            raise ApiValidationError({"task": [str(exc)]}) from exc
        return Response(ShipmentSerializer(shipments, many=True).data, status=201)

    @extend_schema(request=SendSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def send(self, request, format=None):  # format: the router's `.json` suffix
        """Send one or many. Idempotent: items already sent or on their way are listed under `already`."""
        self._clerk()
        s = SendSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        result = send.queue(s.validated_data["ids"], actor=request.user)
        return Response({"queued": result.queued, "already": result.already,
                         "refused": {str(k): v for k, v in result.refused.items()}})

    @extend_schema(request=ChannelSerializer, responses={200: ShipmentSerializer})
    @action(detail=True, methods=["post"])
    def channel(self, request, pk=None, format=None):
        self._clerk()
        shipment = self.get_object()
        s = ChannelSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            shipment = prepare.change_channel(shipment, user=request.user, **s.validated_data)
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        return Response(ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data)

    @extend_schema(request=TrackingSerializer, responses={200: ShipmentSerializer})
    @action(detail=True, methods=["post"])
    def tracking(self, request, pk=None, format=None):
        self._clerk()
        shipment = self.get_object()
        s = TrackingSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            delivery.set_tracking(shipment, actor=request.user, number=s.validated_data["tracking_number"])
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        return Response(ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data)

    @extend_schema(responses={200: ShipmentSerializer})
    @action(detail=False, methods=["post"], url_path="returns")
    def returns(self, request, format=None):  # format: the router's `.json` suffix
        """A returned ZPO (multipart: tracking_number, outcome, dates, scan)."""
        self._clerk()
        form = ReturnForm(request.data, request.FILES)
        if not form.is_valid():
            raise ApiValidationError(form.errors)
        d = form.cleaned_data
        shipment = delivery.find_by_tracking(d["tracking_number"])
        if shipment is None:
            raise Http404
        try:
            delivery.record_return(shipment, actor=request.user, outcome=d["outcome"], signed_on=d["signed_on"],
                                   first_notice_on=d["first_notice_on"], second_notice_on=d["second_notice_on"],
                                   scan=d["scan"], remarks=d["remarks"])
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        return Response(ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data)
