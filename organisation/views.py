"""Substitutions page: name your own substitute, see who stands in for whom, revoke (the head or yourself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation import services
from organisation.forms import RevokeForm, SubstitutionForm
from organisation.models import Substitution, User


def _rows(qs):
    return qs.select_related("principal", "substitute", "revoked_by").order_by("-starts_on", "-pk")


@login_required
def substitutions(request):
    user = request.user
    if request.method == "POST":
        form = SubstitutionForm(request.POST, user=user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                substitution = services.name_substitute(
                    principal=user, substitute=d["substitute"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                    reason=d["reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("%(name)s stands in for you from %(start)s to %(end)s; your head "
                                            "has been told.") % {
                    "name": substitution.substitute, "start": date_format(substitution.starts_on, "j E Y"),
                    "end": date_format(substitution.ends_on, "j E Y")})
                return redirect("organisation:substitutions")
    else:
        form = SubstitutionForm(user=user)
    today = timezone.localdate()
    overseen = User.objects.filter(services.people_overseen_by(user)).values("pk")
    return render(request, "organisation/substitutions.html", {
        "form": form, "today": today,
        "mine": _rows(Substitution.objects.filter(principal=user, ends_on__gte=today - timezone.timedelta(days=90))),
        "for_others": _rows(Substitution.objects.in_force().filter(substitute=user, ends_on__gte=today)),
        "overseen": _rows(Substitution.objects.filter(principal__in=overseen, ends_on__gte=today)),
        "heads": services.heads_of(user),
        "revoke_form": RevokeForm(),
    })


@login_required
@require_POST
def substitution_revoke(request, pk):
    user = request.user
    # Only those who may revoke it learn that it exists.
    visible = Substitution.objects.filter(Q(principal=user) | Q(principal__in=User.objects.filter(
        services.people_overseen_by(user)).values("pk"))) if not user.is_superuser else Substitution.objects.all()
    substitution = visible.filter(pk=pk).first()
    if substitution is None or not services.may_revoke(user, substitution):
        raise Http404
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.revoke(substitution, actor=user, reason=reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Substitution of %(principal)s by %(substitute)s revoked.") % {
            "principal": substitution.principal, "substitute": substitution.substitute})
    return redirect("organisation:substitutions")
