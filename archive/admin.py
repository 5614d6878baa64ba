from django.contrib import admin

from archive.models import ArchivePolicy


@admin.register(ArchivePolicy)
class ArchivePolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "transfer_after_years", "bc_years", "state_archive_after_years", "updated_at"]

    def has_add_permission(self, request):
        return not ArchivePolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
