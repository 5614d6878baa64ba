"""The office archive (archiwum zakładowe): the office's archive policy, the retention of every closed case, the
spisy zdawczo-odbiorcze with the register of accessions, custody of archived files, loans and NES metadata that
cannot be derived from what the registry already knows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArchivePolicy(models.Model):
    """What the office configures (one row). Read through `ArchivePolicy.current()`."""

    transfer_after_years = models.PositiveSmallIntegerField(
        _("transfer to the office archive after (full years)"), default=2,
        help_text=_("Closed files go to the office archive after this many full calendar years from 1 January of "
                    "the year after closing."),
    )
    bc_years = models.PositiveSmallIntegerField(
        _("retention of category Bc (full years)"), default=2,
        help_text=_("Category Bc has no statutory period; the office sets how long such files are kept."),
    )
    state_archive_after_years = models.PositiveSmallIntegerField(
        _("category A goes to the state archive after (years)"), default=25,
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("archive policy")
        verbose_name_plural = _("archive policy")

    def __str__(self):
        return str(_("Archive policy of the office"))

    @classmethod
    def current(cls) -> "ArchivePolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class RetentionKind(models.TextChoices):
    A = "A", _("A – archival materials, kept permanently")
    B = "B", _("B – may be destroyed after the period")
    BE = "BE", _("BE – expert review by the state archive after the period")
    BC = "Bc", _("Bc – short-term value")


class CaseRetention(models.Model):
    """The retention of a closed case, as computed by `archive.retention` (never entered by hand). Kept as a row so
    reports over hundreds of thousands of cases are one indexed query; recomputed whenever an input changes."""

    case = models.OneToOneField(
        "registry.Case", on_delete=models.CASCADE, primary_key=True, related_name="retention",
        verbose_name=_("case"),
    )
    category = models.CharField(_("archival category"), max_length=6)
    kind = models.CharField(_("kind of category"), max_length=2, choices=RetentionKind.choices)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    jrwa_class = models.ForeignKey(
        "registry.JrwaClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("JRWA class used"),
    )
    closed_on = models.DateField(_("completion date"))
    counted_from = models.DateField(_("counted from"))
    office_archive_from = models.DateField(_("due for the office archive from"))
    eligible_from = models.DateField(_("eligible for disposal from"), null=True, blank=True)
    review_from = models.DateField(_("due for expert review from"), null=True, blank=True)
    state_archive_from = models.DateField(_("due for the state archive from"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("retention of a case")
        verbose_name_plural = _("retention of cases")
        indexes = [
            models.Index(fields=["kind", "eligible_from"], name="retention_kind_eligible"),
            models.Index(fields=["office_archive_from"], name="retention_office_due"),
            models.Index(fields=["closed_on"], name="retention_closed_on"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.category}"


class HandoverStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    SUBMITTED = "submitted", _("submitted to the archive")
    RETURNED = "returned", _("returned with remarks")
    ACCEPTED = "accepted", _("accepted")


class CategoryGroup(models.TextChoices):
    A = "A", _("category A")
    B = "B", _("category B")


class HandoverList(models.Model):
    """Spis zdawczo-odbiorczy: the files of one JRWA class and year handed by a unit to the office archive. Separate
    lists for category A and for B (B, BE and Bc). An accepted list gets its number in the register of accessions."""

    unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="handover_lists", verbose_name=_("unit")
    )
    jrwa_class = models.ForeignKey(
        "registry.JrwaClass", on_delete=models.PROTECT, related_name="handover_lists", verbose_name=_("JRWA class")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.CharField(_("categories"), max_length=1, choices=CategoryGroup.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("checked by"),
    )
    decided_at = models.DateTimeField(_("checked"), null=True, blank=True)
    remarks = models.TextField(_("archivist's remarks"), blank=True)
    storage_location = models.CharField(_("storage location of paper originals"), max_length=200, blank=True)
    accession_year = models.PositiveSmallIntegerField(_("accession year"), null=True, blank=True)
    accession_number = models.PositiveIntegerField(_("accession number"), null=True, blank=True)

    class Meta:
        verbose_name = _("handover list (spis zdawczo-odbiorczy)")
        verbose_name_plural = _("handover lists (spisy zdawczo-odbiorcze)")
        ordering = ["-year", "unit__symbol", "jrwa_class__symbol", "group"]
        constraints = [
            # One list in progress per file (teczka); cases closed later go on a supplementary list.
            models.UniqueConstraint(
                fields=["unit", "jrwa_class", "year", "group"], condition=~Q(status="accepted"),
                name="one_open_handover_per_file",
            ),
            models.UniqueConstraint(fields=["accession_year", "accession_number"], name="unique_accession_number"),
            models.CheckConstraint(
                condition=Q(status="accepted", accession_number__isnull=False)
                | (~Q(status="accepted") & Q(accession_number__isnull=True)),
                name="accession_number_iff_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.file_sign} ({self.get_group_display()})"

    @property
    def file_sign(self) -> str:
        """The sign of the file (teczka): unit symbol, JRWA symbol and year."""
        return f"{self.unit.symbol}.{self.jrwa_class.symbol}.{self.year}"

    @property
    def accession_sign(self) -> str:
        return f"{self.accession_number}/{self.accession_year}" if self.accession_number else ""


class HandoverItem(models.Model):
    handover = models.ForeignKey(HandoverList, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="handover_items")
    position = models.PositiveIntegerField(_("no."))
    documents_count = models.PositiveIntegerField(_("number of documents"))
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    class Meta:
        ordering = ["handover", "position"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "case"], name="unique_case_per_handover"),
            models.UniqueConstraint(fields=["handover", "position"], name="unique_position_per_handover"),
        ]


class CaseCustody(models.Model):
    """A case held by the office archive: read-only for its unit, managed by the archivist."""

    case = models.OneToOneField(
        "registry.Case", on_delete=models.PROTECT, primary_key=True, related_name="custody", verbose_name=_("case")
    )
    handover = models.ForeignKey(
        HandoverList, on_delete=models.PROTECT, related_name="custodies", verbose_name=_("accession")
    )
    accepted_at = models.DateTimeField(_("taken into the archive"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken over by")
    )
    storage_location = models.CharField(_("storage location of paper originals"), max_length=200, blank=True)
    legal_hold = models.CharField(
        _("legal hold"), max_length=300, blank=True,
        help_text=_("Why the file must not be destroyed whatever its retention (a court case, an inspection…)."),
    )

    class Meta:
        verbose_name = _("file in the office archive")
        verbose_name_plural = _("files in the office archive")


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    LENT = "lent", _("lent")
    REFUSED = "refused", _("refused")
    RETURNED = "returned", _("returned")


class Loan(models.Model):
    """Udostępnianie: the register of loans of archived files."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="loans", verbose_name=_("case"))
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="archive_loans", verbose_name=_("requested by")
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.REQUESTED)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_on = models.DateField(_("to be returned by"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("approved by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="loan_status_due")]
        constraints = [
            # A file is physically in one place: one open request or loan per borrower and case at a time.
            models.UniqueConstraint(
                fields=["case", "borrower"], condition=Q(status__in=["requested", "lent"]),
                name="one_open_loan_per_borrower",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} → {self.borrower_id} ({self.status})"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == LoanStatus.LENT and self.due_on < today


class DocumentMetadata(models.Model):
    """The NES elements that cannot be derived from the registry, filled in by people (everything else comes from
    `archive.nes`)."""

    document = models.OneToOneField(
        "registry.Document", on_delete=models.CASCADE, primary_key=True, related_name="nes",
        verbose_name=_("document"),
    )
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language (ISO 639-2)"), max_length=3, blank=True)
    access = models.CharField(_("access"), max_length=300, blank=True)
    rights = models.CharField(_("rights"), max_length=300, blank=True)
    addressee = models.CharField(_("addressee"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("NES metadata of a document")
        verbose_name_plural = _("NES metadata of documents")


class CategoryDecision(models.Model):
    """The state archive changed the category of a case (e.g. BE requalified to A after expert review). The retention
    function prefers it to the JRWA class's category."""

    case = models.OneToOneField("registry.Case", on_delete=models.PROTECT, primary_key=True,
                                related_name="category_decision", verbose_name=_("case"))
    category = models.CharField(_("archival category"), max_length=6)
    reference = models.CharField(_("reference of the state archive's letter"), max_length=200)
    decided_on = models.DateField(_("date of the decision"))

    class Meta:
        verbose_name = _("category decided by the state archive")
        verbose_name_plural = _("categories decided by the state archive")


class DisposalStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    IN_REVIEW = "in_review", _("internal review by the units")
    REQUESTED = "requested", _("consent requested from the state archive")
    APPROVED = "approved", _("consent given")
    REFUSED = "refused", _("consent refused")
    DESTROYING = "destroying", _("destruction in progress")
    DESTROYED = "destroyed", _("destroyed")


class DisposalList(models.Model):
    """Spis dokumentacji niearchiwalnej przeznaczonej do brakowania, with the request to the state archive, its
    decision and the destruction protocol. Kept for good, like its items."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=12, choices=DisposalStatus.choices,
                              default=DisposalStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("prepared by"))
    created_at = models.DateTimeField(_("prepared"), default=timezone.now)
    requested_at = models.DateTimeField(_("request sent"), null=True, blank=True)
    ap_reference = models.CharField(_("reference of the state archive's decision"), max_length=200, blank=True)
    ap_decided_on = models.DateField(_("date of the state archive's decision"), null=True, blank=True)
    ap_remarks = models.TextField(_("remarks of the state archive"), blank=True)
    destroyed_at = models.DateTimeField(_("destruction finished"), null=True, blank=True)
    protocol = models.TextField(_("destruction protocol"), blank=True)

    class Meta:
        verbose_name = _("disposal list")
        verbose_name_plural = _("disposal lists")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_disposal_number")]

    def __str__(self):
        return self.sign

    @property
    def sign(self) -> str:
        return f"{self.number}/{self.year}"


class DisposalItem(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", _("not reviewed")
        AGREED = "agreed", _("no longer needed")
        KEEP = "keep", _("still needed (withdrawn)")

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting the state archive")
        CONSENT = "consent", _("consent to destroy")
        REFUSED = "refused", _("destruction refused")
        REQUALIFIED = "requalified", _("requalified to A")

    disposal = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="disposal_items")
    position = models.PositiveIntegerField(_("no."))
    category = models.CharField(_("archival category"), max_length=6)
    review = models.CharField(_("review by the unit"), max_length=8, choices=Review.choices, default=Review.PENDING)
    review_note = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decision = models.CharField(_("decision of the state archive"), max_length=12, choices=Decision.choices,
                                default=Decision.PENDING)
    destroyed_at = models.DateTimeField(_("contents destroyed"), null=True, blank=True)
    files_destroyed = models.PositiveIntegerField(_("files destroyed"), default=0)
    bytes_destroyed = models.PositiveBigIntegerField(_("bytes destroyed"), default=0)

    class Meta:
        ordering = ["disposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["disposal", "case"], name="unique_case_per_disposal"),
            models.UniqueConstraint(fields=["disposal", "position"], name="unique_position_per_disposal"),
        ]


# Archival packages live in their own module (§ 5 of the archive issue); imported here so Django registers them.
from archive.package_models import ArchivalPackage, PackageItem, PackageStatus  # noqa: E402, F401
