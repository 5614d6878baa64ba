from django.contrib import admin

from replies.models import CaseProposal


@admin.register(CaseProposal)
class CaseProposalAdmin(admin.ModelAdmin):
    """Read-only: proposals are decided on the dekretacja task, where the metryka is written."""

    list_display = ["delivery", "case", "basis", "detail", "state", "decided_by", "decided_at"]
    list_filter = ["state", "basis"]
    raw_id_fields = ["delivery", "case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
