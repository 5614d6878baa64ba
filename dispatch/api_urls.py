from rest_framework.routers import DefaultRouter

from dispatch.api import ShipmentViewSet

router = DefaultRouter()
router.register("shipments", ShipmentViewSet, basename="api-shipment")

urlpatterns = router.urls
