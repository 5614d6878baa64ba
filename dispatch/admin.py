"""Read-only views of shipments and evidences for administrators (changes go through the dispatch pages, so that
every one of them is in the metryka)."""

from django.contrib import admin

from dispatch.models import Evidence, Shipment


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = ["code", "evidence_id", "event_at", "document"]
    readonly_fields = fields


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["item", "state", "message_id", "attempts", "delivered_on"]
    list_filter = ["state"]
    search_fields = ["item__tracking_number", "message_id", "item__subject"]
    list_select_related = ["item"]
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
