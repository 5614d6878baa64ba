from django.contrib import admin

from deadlines.models import CaseDeadline, DeadlineKind, ExcludedPeriod, Extension, JrwaDeadlineRule


@admin.register(DeadlineKind)
class DeadlineKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "amount", "unit", "legal_basis", "shift_to_working_day", "is_default", "active"]
    list_filter = ["active", "unit", "kpa_procedure"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(JrwaDeadlineRule)
class JrwaDeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["symbol_prefix", "kind"]
    search_fields = ["symbol_prefix"]


class ExcludedPeriodInline(admin.TabularInline):
    model = ExcludedPeriod
    extra = 0
    can_delete = False
    readonly_fields = ["reason", "starts_on", "ends_on", "description", "created_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    can_delete = False
    readonly_fields = ["new_date", "previous_due_date", "reason", "decided_on", "created_by", "created_at"]
    exclude = ["notice_document"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CaseDeadline)
class CaseDeadlineAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the case's deadline page so they reach the metryka."""

    list_display = ["case", "kind", "start_date", "due_date", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["case__sign"]
    inlines = [ExcludedPeriodInline, ExtensionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
