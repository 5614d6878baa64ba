"""Administrators define routes here, with no code: a route, its versions (draft → published → retired), the stages
of a version and the steps of a stage. A published version is frozen; changes go into a new version."""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflow import routing
from workflow.models import NotificationPreference, Route, RouteVersion, RoutingRule, Stage, Step


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "priority", "channel", "sender", "addressed_unit", "keywords", "target_unit", "auto",
                    "active"]
    list_editable = ["priority", "active"]
    autocomplete_fields = ["sender"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # "?sender=…" that is not an id (a mangled link) makes the autocomplete widget raise: start empty instead.
        if "sender" in initial and not str(initial["sender"]).isdigit():
            del initial["sender"]
        return initial


class VersionInline(admin.TabularInline):
    model = RouteVersion
    fields = ["number", "status", "dispatch", "note", "published_at", "edit"]
    readonly_fields = ["status", "published_at", "edit"]
    extra = 0
    show_change_link = True

    @admin.display(description=gettext_lazy("stages"))
    def edit(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:workflow_routeversion_change", args=[obj.pk]),
                           _("stages and steps"))


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["name", "jrwa_symbol", "document_kind", "unit", "is_default", "active"]
    list_filter = ["active", "is_default", "document_kind"]
    inlines = [VersionInline]


class StageInline(admin.StackedInline):
    model = Stage
    extra = 0
    show_change_link = True
    fields = [("order", "name", "kind", "mode"), ("return_to", "requires_valid_signature"),
              ("if_jrwa_symbol", "if_document_kind", "if_unit", "if_flag")]


def _frozen(version) -> bool:
    return version is not None and version.status != RouteVersion.Status.DRAFT


@admin.register(RouteVersion)
class RouteVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "published_at", "chart"]
    list_filter = ["status", "route"]
    inlines = [StageInline]
    actions = ["publish", "new_version"]
    readonly_fields = ["status", "published_at"]

    @admin.display(description=gettext_lazy("route chart"))
    def chart(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("workflow:route", args=[obj.pk]), _("show"))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.processes.exists())

    @admin.action(description=gettext_lazy("Publish (the previous published version is retired)"))
    def publish(self, request, queryset):
        for version in queryset.filter(status=RouteVersion.Status.DRAFT):
            problems = routing.validate_route(version)
            if problems:
                self.message_user(request, f"{version}: {' '.join(problems)}", messages.ERROR)
                continue
            with transaction.atomic():
                RouteVersion.objects.filter(route=version.route, status=RouteVersion.Status.PUBLISHED).update(
                    status=RouteVersion.Status.RETIRED)
                version.status = RouteVersion.Status.PUBLISHED
                version.published_at = timezone.now()
                version.save(update_fields=["status", "published_at"])
            self.message_user(request, _("%(version)s published.") % {"version": version})

    @admin.action(description=gettext_lazy("New draft version (copy)"))
    def new_version(self, request, queryset):
        for version in queryset:
            copy = copy_version(version)
            self.message_user(request, _("%(version)s created as a draft.") % {"version": copy})


def copy_version(version: RouteVersion) -> RouteVersion:
    with transaction.atomic():
        last = RouteVersion.objects.filter(route=version.route).order_by("-number").first()
        new = RouteVersion.objects.create(route=version.route, number=last.number + 1, dispatch=version.dispatch,
                                          note=_("copy of version %(n)d") % {"n": version.number})
        for stage in version.stages.prefetch_related("steps"):
            steps = list(stage.steps.all())
            stage.pk, stage.version = None, new
            stage.save()
            for step in steps:
                step.pk, step.stage = None, stage
                step.save()
    return new


class StepInline(admin.TabularInline):
    model = Step
    extra = 1
    fields = ["order", "label", "assignee", "position", "user", "due_days"]
    autocomplete_fields = ["user"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "kind", "mode"]
    inlines = [StepInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and _frozen(obj.version))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and _frozen(obj.version))


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mode"]
