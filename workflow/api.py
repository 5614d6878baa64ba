"""REST API: task lists (the same selectors and access rule as the pages) and decisions on approval steps."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from obieg.api_schema import ErrorDetail
from workflow import selectors, services
from workflow.models import Decision, WorkTask


class TaskSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    owner = serializers.StringRelatedField(allow_null=True)
    case_sign = serializers.CharField(source="case.sign", default=None, allow_null=True)
    delivery_rpw = serializers.CharField(source="delivery.rpw", default=None, allow_null=True)
    unit = serializers.CharField(source="unit.symbol", default=None, allow_null=True)

    class Meta:
        model = WorkTask
        fields = ["id", "kind", "label", "status", "owner", "unit", "case_sign", "delivery_rpw", "due_at",
                  "created", "finished", "decision", "comment"]

    def get_kind(self, obj) -> str:
        return obj.flow_task.name if obj.flow_task else ""


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TaskQuery(serializers.Serializer):
    """The filters of the task list; an unknown value is refused (400), never silently ignored."""

    list = serializers.ChoiceField(choices=selectors.LISTS, required=False, default="mine")
    kind = serializers.ChoiceField(choices=[*selectors.KINDS], required=False, allow_blank=True, default="")
    overdue = serializers.ChoiceField(choices=["1", "0"], required=False, allow_blank=True, default="")
    q = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(many=False)  # already the page: not to be wrapped in another one
class TaskList(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TaskSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="open tasks on each list")


@extend_schema(tags=["tasks"])
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask the selectors about
            return WorkTask.objects.none()
        if self.action == "list":
            query = TaskQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            params = query.validated_data
        else:  # one task: any the user may see, whatever list it is on
            params = {"list": "all", "kind": "", "overdue": "", "q": ""}
        which = params["list"]
        qs = (
            selectors.my_tasks(self.request.user) | selectors.queue(self.request.user)
            | selectors.unit_tasks(self.request.user) | selectors.done(self.request.user)
        ) if which == "all" else selectors.task_list(self.request.user, which)
        qs = selectors.apply_filters(qs, kind=params["kind"], overdue=params["overdue"] == "1",
                                     q=params["q"].strip()[:100])
        return qs.order_by("-finished" if which == "done" else "due_at", "pk")

    @extend_schema(parameters=[TaskQuery], responses=TaskList)
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["counts"] = selectors.counts(request.user)
        return response

    @extend_schema(request=DecisionSerializer, responses={200: TaskSerializer, 409: ErrorDetail})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, format=None):  # format: the router's `.json` suffix
        # A task the user may not see answers 404 like a missing one (a 409 naming its owner would tell).
        task = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            task = services.decide(task.pk, user=request.user, **data.validated_data)
        except services.WorkflowError as e:
            return Response({"detail": str(e)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as e:
            return Response(e.message_dict if hasattr(e, "error_dict") else {"detail": e.messages},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskSerializer(WorkTask.objects.get(pk=task.pk)).data)
