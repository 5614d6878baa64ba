"""The bulk page: what to do with the tasks selected in a task list, and the summary of what happened (done,
skipped and why). Thin: `workflow.forms.BulkForm` in, `workflow.bulk` out. A page of its own (not `views.py`) so
the single-task pages stay as they are."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from workflow import bulk, forms


@login_required
@require_POST
def bulk_action(request):
    selected = request.POST.getlist("task")
    form = forms.BulkForm(request.POST, user=request.user)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["action"] == forms.BulkForm.CLAIM:
                result = bulk.claim(selected, request.user)
            elif d["action"] == forms.BulkForm.CHOOSE_UNIT:
                result = bulk.choose_unit(selected, request.user, unit=d["unit"], note=d["note"])
            else:
                result = bulk.decree(selected, request.user, worker=d["worker"], instruction=d["instruction"],
                                     due_on=d["due_on"])
        except ValidationError as e:
            form.add_error(None, e)
    # On a refused form the selection is shown again, ticked, with the form: nothing the user chose is lost.
    tasks = [] if result else list(bulk.selected(selected, request.user).values())
    return render(request, "workflow/bulk.html", {"form": form, "result": result, "tasks": tasks},
                  status=200 if result else 400)
