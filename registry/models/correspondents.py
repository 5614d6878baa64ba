"""Correspondents: people and institutions that write to the office or receive its letters."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obieg.text import fold
from registry import validators


class Correspondent(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("natural person")
        INSTITUTION = "institution", _("institution / company")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("surname"), max_length=150, blank=True)
    name = models.CharField(_("institution name"), max_length=300, blank=True)
    pesel = models.CharField(_("PESEL"), max_length=11, blank=True, validators=[validators.validate_pesel])
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validators.validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validators.validate_regon])
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validators.validate_krs])
    street = models.CharField(_("street"), max_length=200, blank=True)
    building_number = models.CharField(_("building no."), max_length=20, blank=True)
    flat_number = models.CharField(_("flat no."), max_length=20, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validators.validate_postal_code]
    )
    city = models.CharField(_("town"), max_length=150, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PL")
    email = models.EmailField(_("e-mail"), blank=True)
    epuap_address = models.CharField(
        _("ePUAP box address"), max_length=200, blank=True, validators=[validators.validate_epuap_address]
    )
    ade = models.CharField(
        _("address for electronic deliveries (ADE)"), max_length=40, blank=True, validators=[validators.validate_ade]
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # Lower-cased, diacritics folded: for quick "search as you type" without extensions.
    search_text = models.CharField(max_length=800, editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("correspondent")
        verbose_name_plural = _("correspondents")
        ordering = ["last_name", "name", "first_name"]
        indexes = [
            # Word-prefix search as you type: to_tsvector over the folded text, queried with `word:*`.
            GinIndex(SearchVector("search_text", config="simple"), name="corr_search_words"),
            models.Index(fields=["pesel"], name="corr_pesel", condition=~Q(pesel="")),
            models.Index(fields=["nip"], name="corr_nip", condition=~Q(nip="")),
            models.Index(fields=["ade"], name="corr_ade", condition=~Q(ade="")),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        parts = [self.display_name, self.city, self.pesel, self.nip, self.regon, self.email, self.ade]
        self.search_text = fold(" ".join(p for p in parts if p))[:800]
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.INSTITUTION:
            return self.name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def address_line(self) -> str:
        street = " ".join(p for p in [self.street, self.building_number] if p)
        if self.flat_number:
            street += f"/{self.flat_number}"
        town = " ".join(p for p in [self.postal_code, self.city] if p)
        return ", ".join(p for p in [street, town] if p)

    def clean(self):
        if self.nip:
            self.nip = validators.normalise_nip(self.nip)
        if self.kind == self.Kind.PERSON and not self.last_name:
            raise ValidationError({"last_name": _("Enter the person's surname.")})
        if self.kind == self.Kind.INSTITUTION and not self.name:
            raise ValidationError({"name": _("Enter the institution's name.")})
