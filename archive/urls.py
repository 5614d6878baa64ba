from django.urls import path

from archive import views, views_disposal, views_packages

app_name = "archive"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("do-przekazania/", views.due, name="due"),
    path("spisy/", views.handover_list, name="handover-list"),
    path("spisy/nowy/", views.handover_prepare, name="handover-prepare"),
    path("spisy/<int:pk>/", views.handover_detail, name="handover-detail"),
    path("spisy/<int:pk>/<str:action>/", views.handover_action, name="handover-action"),
    path("spisy/<int:pk>/spis.pdf", views.handover_export, {"fmt": "pdf"}, name="handover-pdf"),
    path("spisy/<int:pk>/spis.csv", views.handover_export, {"fmt": "csv"}, name="handover-csv"),
    path("spisy/<int:pk>/spis.xlsx", views.handover_export, {"fmt": "xlsx"}, name="handover-xlsx"),
    path("przyjecia/", views.accessions, name="accessions"),
    path("zasob/", views.inventory, name="inventory"),
    path("kalendarz/", views.calendar, name="calendar"),
    path("brakowanie/", views.disposal, name="disposal"),
    path("brakowanie.csv", views.disposal, {"fmt": "csv"}, name="disposal-csv"),
    path("brakowanie.xlsx", views.disposal, {"fmt": "xlsx"}, name="disposal-xlsx"),
    path("brakowanie/spisy/nowy/", views_disposal.create, name="disposal-create"),
    path("brakowanie/spisy/<int:pk>/", views_disposal.detail, name="disposal-detail"),
    path("brakowanie/spisy/<int:pk>/spis.pdf", views_disposal.export, {"fmt": "pdf"}, name="disposal-pdf"),
    path("brakowanie/spisy/<int:pk>/spis.xml", views_disposal.export, {"fmt": "xml"}, name="disposal-xml"),
    path("brakowanie/spisy/<int:pk>/<str:step>/", views_disposal.action, name="disposal-action"),
    path("sprawy/<int:pk>/wstrzymanie/", views_disposal.hold, name="hold"),
    path("paczki/", views_packages.package_list, name="packages"),
    path("paczki/nowa/", views_packages.package_create, name="package-create"),
    path("paczki/<int:pk>/", views_packages.package_detail, name="package-detail"),
    path("paczki/<int:pk>/postep/", views_packages.package_progress, name="package-progress"),
    path("paczki/<int:pk>/paczka.zip", views_packages.package_download, name="package-download"),
    path("paczki/<int:pk>/<str:step>/", views_packages.package_action, name="package-action"),
    path("wypozyczenia/", views.loan_list, name="loans"),
    path("wypozyczenia/<int:pk>/<str:action>/", views.loan_action, name="loan-action"),
    path("szukaj/", views.search, name="search"),
    path("sprawy/<int:pk>/", views.archived_case, name="case"),
    path("sprawy/<int:pk>/wypozyczenie/", views.loan_request, name="loan-request"),
    path("sprawy/<int:pk>/miejsce/", views.storage, name="storage"),
    path("dokumenty/<int:pk>/metadane/", views.document_metadata, name="document-metadata"),
]
