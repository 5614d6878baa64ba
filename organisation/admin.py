from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, OrgUnit, Position, Substitution, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Position"), {"fields": ["position_title"]}))
    list_display = ["username", "first_name", "last_name", "position_title", "is_active"]


class UnitMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["symbol", "name", "parent", "active", "valid_from", "valid_to"]
    list_filter = ["active"]
    search_fields = ["symbol", "name"]
    inlines = [UnitMembershipInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "holder"]
    autocomplete_fields = ["holder"]


@admin.register(Substitution)
class SubstitutionAdmin(admin.ModelAdmin):
    list_display = ["principal", "substitute", "starts_on", "ends_on", "can_sign", "reason", "revoked_at"]
    list_filter = ["can_sign", ("revoked_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["created_by", "created_at", "revoked_at", "revoked_by", "revoke_reason"]
    autocomplete_fields = ["principal", "substitute"]
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
