from django.urls import path
from rest_framework.routers import DefaultRouter

from registry.api import CaseViewSet, CorrespondentViewSet, DeliveryViewSet, DocumentVersionViewSet
from registry.api_documents import DocumentViewSet
from registry.channels.api import EpuapIntakeView

router = DefaultRouter()
router.register("deliveries", DeliveryViewSet, basename="api-delivery")
router.register("cases", CaseViewSet, basename="api-case")
router.register("correspondents", CorrespondentViewSet, basename="api-correspondent")
router.register("documents", DocumentViewSet, basename="api-document")
router.register("document-versions", DocumentVersionViewSet, basename="api-document-version")

urlpatterns = [
    path("intake/epuap/", EpuapIntakeView.as_view(), name="api-intake-epuap"),
    *router.urls,
]
