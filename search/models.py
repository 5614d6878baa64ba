"""Search: the index outbox, the PostgreSQL backend's flat index table, and saved searches."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class OutboxKind(models.TextChoices):
    DELIVERY = "delivery", _("delivery")
    CASE = "case", _("case")
    DOCUMENT = "document", _("document")
    # A case or delivery together with everything whose index entry depends on it (access, identifiers).
    CASE_TREE = "case_tree", _("case with its deliveries and documents")
    DELIVERY_TREE = "delivery_tree", _("delivery with its documents")


class SearchOutbox(models.Model):
    """Records whose index entries must be rebuilt. Rows are written by database triggers on the registry tables
    (migration 0002) in the same transaction as the change, and drained in batches by `search.index.outbox`."""

    kind = models.CharField(max_length=16, choices=OutboxKind.choices)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "search_outbox"
        verbose_name = _("search index queue entry")
        verbose_name_plural = _("search index queue")


class EntryKind(models.TextChoices):
    DELIVERY = "delivery", _("incoming delivery")
    CASE = "case", _("case")
    DOCUMENT = "document", _("document")


class SearchEntry(models.Model):
    """One flat, denormalised search document of the `postgres` backend (the Elasticsearch backend stores the
    same fields). Text is analysed in Python (`search.index.terms`); the tsvector has no configuration."""

    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    object_id = models.BigIntegerField()
    identifiers = ArrayField(models.CharField(max_length=120), default=list)  # folded: rpw/12/2025, or.0012.1.2024
    display_id = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)  # bounded snippet source (original text)
    tsv = SearchVectorField()
    date = models.DateField()
    year = models.SmallIntegerField()
    unit_id = models.BigIntegerField(null=True)
    confidential = models.BooleanField(default=False)
    user_ids = ArrayField(models.BigIntegerField(), default=list)
    register_entry = models.BooleanField(default=False)
    jrwa_symbol = models.CharField(max_length=4, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    sender_id = models.BigIntegerField(null=True)
    sender_name = models.CharField(max_length=300, blank=True)
    case_worker_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=20, blank=True)
    archival_category = models.CharField(max_length=6, blank=True)
    doc_kind = models.CharField(max_length=12, blank=True)
    case_id = models.BigIntegerField(null=True)
    doc_hash = models.CharField(max_length=32)
    indexed_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "search_entry"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [
            GinIndex(fields=["tsv"], name="search_entry_tsv"),
            GinIndex(fields=["identifiers"], name="search_entry_identifiers"),
            GinIndex(fields=["user_ids"], name="search_entry_user_ids"),
            # Also, where the btree_gin extension exists: GIN on (unit_id, tsv), created by migration 0003 only
            # when it can be (not on the embedded demo server), so it is not declared here.
            models.Index(fields=["-date", "-id"], name="search_entry_date"),
            models.Index(fields=["unit_id", "-date"], name="search_entry_unit"),
            models.Index(fields=["jrwa_symbol"], name="search_entry_jrwa", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["year"], name="search_entry_year"),
            models.Index(fields=["sender_id"], name="search_entry_sender"),
            models.Index(fields=["case_worker_id"], name="search_entry_worker"),
            models.Index(fields=["case_id"], name="search_entry_case"),
        ]


class SuspendedIndex(models.Model):
    """An index of `search_entry` dropped for a bulk load into the empty table (building it once at the end is many
    times faster than updating it row by row). Kept here so an interrupted rebuild can always put it back:
    `search_rebuild`, `search_check --repair` and the end of every rebuild do."""

    name = models.CharField(max_length=63, unique=True)
    definition = models.TextField()
    suspended_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "search_suspended_index"

    def __str__(self):
        return self.name


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=200)
    query_string = models.CharField(_("search parameters"), max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_search_name")]

    def __str__(self):
        return self.name
