"""REST API: task lists (the same selectors and access rule as the pages) and decisions on approval steps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from workflow import selectors, services
from workflow.models import Decision, WorkTask


class TaskSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    owner = serializers.StringRelatedField()
    case_sign = serializers.CharField(source="case.sign", default=None)
    delivery_rpw = serializers.CharField(source="delivery.rpw", default=None)
    unit = serializers.CharField(source="unit.symbol", default=None)

    class Meta:
        model = WorkTask
        fields = ["id", "kind", "label", "status", "owner", "unit", "case_sign", "delivery_rpw", "due_at",
                  "created", "finished", "decision", "comment"]

    def get_kind(self, obj) -> str:
        return obj.flow_task.name if obj.flow_task else ""


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer

    def get_queryset(self):
        which = self.request.query_params.get("list", "mine")
        if which not in selectors.LISTS:
            raise NotFound(_("Unknown task list."))
        if self.action != "list":
            which = "all"
        qs = (
            selectors.my_tasks(self.request.user) | selectors.queue(self.request.user)
            | selectors.unit_tasks(self.request.user) | selectors.done(self.request.user)
        ) if which == "all" else selectors.task_list(self.request.user, which)
        params = self.request.query_params
        qs = selectors.apply_filters(qs, kind=params.get("kind", ""), overdue=params.get("overdue") == "1",
                                     q=params.get("q", "")[:100])
        return qs.order_by("-finished" if which == "done" else "due_at", "pk")

    @extend_schema(parameters=[
        OpenApiParameter("list", enum=list(selectors.LISTS)), OpenApiParameter("kind", enum=list(selectors.KINDS)),
        OpenApiParameter("overdue", enum=["1"]), OpenApiParameter("q", str),
    ])
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["counts"] = selectors.counts(request.user)
        return response

    @extend_schema(request=DecisionSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            task = services.decide(pk, user=request.user, **data.validated_data)
        except services.WorkflowError as e:
            return Response({"detail": str(e)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as e:
            return Response(e.message_dict if hasattr(e, "error_dict") else {"detail": e.messages},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskSerializer(WorkTask.objects.get(pk=task.pk)).data)
