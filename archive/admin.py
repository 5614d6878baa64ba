from django.contrib import admin, messages
from django.utils.translation import gettext as _

from archive.models import ArchivePolicy


@admin.register(ArchivePolicy)
class ArchivePolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "transfer_after_years", "bc_years", "state_archive_after_years", "updated_at"]

    def has_add_permission(self, request):
        return not ArchivePolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            from archive.tasks import recompute_retention

            # The dates of every closed case depend on the policy: recompute them in the background.
            recompute_retention.delay_on_commit(request.user.pk)
            messages.info(request, _("The retention of closed cases is being recomputed in the background."))
