from django.contrib import admin

from signatures.models import SignatureCheck


@admin.register(SignatureCheck)
class SignatureCheckAdmin(admin.ModelAdmin):
    """Read-only: results come from verification, never from typing."""

    list_display = ["version", "status", "format", "signer", "issuer", "signed_at", "checked_at"]
    list_filter = ["status", "format"]
    search_fields = ["signer", "issuer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
