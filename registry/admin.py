"""Admin is for configuration (JRWA, correspondents). Registers, cases and the metryka are read-only here:
they change only through the services, which number and record every action."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Case, ChannelImport, Correspondent, Delivery, HistoryEntry, JrwaClass, JrwaVersion, OutgoingItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JrwaClassInline(admin.TabularInline):
    model = JrwaClass
    fields = ["symbol", "title", "category_own", "category_other", "is_leaf", "kept_electronically"]
    readonly_fields = ["symbol", "is_leaf"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(JrwaVersion)
class JrwaVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "valid_to", "source"]


@admin.register(JrwaClass)
class JrwaClassAdmin(admin.ModelAdmin):
    list_display = ["symbol", "title", "category_own", "category_other", "is_leaf", "kept_electronically", "version"]
    list_filter = ["version", "is_leaf", "kept_electronically"]
    search_fields = ["symbol", "title"]
    readonly_fields = ["version", "symbol", "parent", "is_leaf"]

    def has_add_permission(self, request):
        return False  # classes come from an imported JRWA version (manage.py import_jrwa)


@admin.register(Correspondent)
class CorrespondentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "city", "pesel", "nip", "ade", "merged_into"]
    list_filter = ["kind"]
    search_fields = ["last_name", "name", "first_name", "pesel", "nip", "regon", "ade", "email"]
    exclude = ["search_text"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["rpw", "received_at", "channel", "sender", "subject", "status", "case"]
    list_filter = ["channel", "status", "year"]
    search_fields = ["subject", "sender_reference", "external_id"]
    list_select_related = ["sender", "case"]


@admin.register(OutgoingItem)
class OutgoingItemAdmin(ReadOnlyAdmin):
    list_display = ["register_number", "recipient", "channel", "status", "sent_at", "case"]
    list_filter = ["channel", "status", "year"]
    list_select_related = ["recipient", "case"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["sign", "title", "status", "case_worker", "started_on", "closed_on", "confidential"]
    list_filter = ["status", "year", "confidential", "unit"]
    search_fields = ["sign", "title"]
    list_select_related = ["case_worker"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "case", "description"]
    list_filter = ["action"]
    search_fields = ["case__sign", "description", "actor_name"]
    list_select_related = ["case"]


@admin.register(ChannelImport)
class ChannelImportAdmin(ReadOnlyAdmin):
    """What the e-Doręczenia import did with each message; a failed one can be sent back for another attempt."""

    list_display = ["message_id", "channel", "status", "attempts", "next_attempt_at", "delivery", "updated_at"]
    list_filter = ["channel", "status"]
    search_fields = ["message_id", "error"]
    list_select_related = ["delivery"]
    actions = ["retry_now"]

    @admin.action(description=_("Try the selected messages again at the next import"))
    def retry_now(self, request, queryset):
        count = queryset.filter(status__in=[ChannelImport.Status.FAILED, ChannelImport.Status.PENDING]).update(
            attempts=0, next_attempt_at=None
        )
        self.message_user(
            request,
            ngettext("%(count)d message will be tried again.", "%(count)d messages will be tried again.", count)
            % {"count": count},
        )
