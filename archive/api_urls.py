from django.urls import path

from archive.api import CaseRetentionView, DocumentMetadataView, RetentionCalendarView

urlpatterns = [
    path("archive/cases/<int:pk>/retention/", CaseRetentionView.as_view(), name="api-archive-retention"),
    path("archive/documents/<int:pk>/metadata/", DocumentMetadataView.as_view(), name="api-archive-metadata"),
    path("archive/retention-calendar/", RetentionCalendarView.as_view(), name="api-archive-calendar"),
]
