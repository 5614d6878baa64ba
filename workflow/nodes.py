"""Custom viewflow nodes: a human task whose who-may-act rules are ours (owner or substitute; a queue by role and
unit), and a data-driven parallel split (viewflow OSS `Split` has no `data_source`)."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.view import ViewActivation

from workflow import rules


def task_page(request, **kwargs):
    """viewflow's own task URL sends people to our task page."""
    return HttpResponseRedirect(reverse("workflow:task", args=[kwargs.get("task_pk")]))


class WorkViewActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        if activation.task.owner_id:
            from workflow.notifications import notify_new_task

            notify_new_task(activation.task)
        return activation


class WorkView(flow.View):
    """A human task. `setup(activation)` fills the task's columns (unit, case, label, due time, queue role) before
    the row is saved and before the owner is computed."""

    activation_class = WorkViewActivation

    def __init__(self, view=None, setup=None, **kwargs):
        super().__init__(view or task_page, **kwargs)
        self._setup = setup

    def _resolve(self, instance):
        super()._resolve(instance)
        self._setup = this.resolve(instance, self._setup)

    def calc_owner(self, activation):
        if self._setup is not None:
            self._setup(activation)
        if self._owner is None:
            return None
        return super().calc_owner(activation)

    def can_execute(self, user, task):
        return rules.can_execute(user, task)

    def can_assign(self, user, task):
        return rules.can_claim(user, task)


class DataSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        items = list(self.flow_task._items(self))
        if not items:
            raise FlowRuntimeError(f"No items to split in {self.flow_task.name}")
        self.next_tasks = [(self.flow_task._node, item) for item in items]


class DataSplit(flow.Split):
    """One instance of the next node per item of `items(activation)`, each with the item as `task.data`;
    a following Join waits for them by their common split-token prefix."""

    activation_class = DataSplitActivation

    def __init__(self, items, **kwargs):
        super().__init__(**kwargs)
        self._items = items
        self._node = None

    def Next(self, node, case=None):
        self._node = node
        return super().Next(node)

    def _resolve(self, instance):
        super()._resolve(instance)
        self._items = this.resolve(instance, self._items)
        self._node = this.resolve(instance, self._node)
