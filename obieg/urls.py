from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# The admin says whose it is (not "Django administration"): offices' administrators see it daily.
admin.site.site_header = _("Obieg: administration")
admin.site.site_title = _("Obieg administration")
admin.site.index_title = _("Office settings")

api_v1 = [
    path("", include("registry.api_urls")),
    path("", include("workflow.api_urls")),
    path("", include("deadlines.api_urls")),
    path("", include("search.api_urls")),
    path("", include("dispatch.api_urls")),
    path("", include("archive.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("obieg/", include("workflow.urls")),
    path("terminy/", include("deadlines.urls")),
    path("szukaj/", include("search.urls")),
    path("zastepstwa/", include("organisation.urls")),
    path("wysylka/", include("dispatch.urls")),
    path("archiwum/", include("archive.urls")),
    path("obieg/", include("replies.urls")),
    path("", include("registry.urls")),
]
