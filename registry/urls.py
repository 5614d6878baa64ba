from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("przesylki/", views.delivery_list, name="delivery-list"),
    path("przesylki/nowa/", views.delivery_create, name="delivery-create"),
    path("przesylki/rejestr.pdf", views.incoming_register_pdf, name="delivery-register-pdf"),
    path("przesylki/<int:pk>/", views.delivery_detail, name="delivery-detail"),
    path("przesylki/<int:pk>/dolacz/", views.delivery_attach, name="delivery-attach"),
    path("dokumenty/<int:pk>/", views.document_detail, name="document-detail"),
    path("dokumenty/wersje/<int:pk>/pobierz/", views.document_download, name="document-download"),
    path("dokumenty/wersje/<int:pk>/strony/<int:page>/", views.document_page, name="document-page"),
    path("dokumenty/wersje/<int:pk>/miniatura/<int:page>.jpg", views.version_thumbnail, name="version-thumbnail"),
    path("dokumenty/wersje/<int:pk>/podglad/<int:page>.jpg", views.version_page_image, name="version-page-image"),
    path("dokumenty/<int:pk>/wersja/", views.document_version, name="document-version"),
    path("wychodzace/", views.outgoing_list, name="outgoing-list"),
    path("wychodzace/nowa/", views.outgoing_create, name="outgoing-create"),
    path("wychodzace/rejestr.pdf", views.outgoing_register_pdf, name="outgoing-register-pdf"),
    path("wychodzace/<int:pk>/", views.outgoing_detail, name="outgoing-detail"),
    path("sprawy/", views.case_list, name="case-list"),
    path("sprawy/nowa/", views.case_create, name="case-create"),
    path("sprawy/<int:pk>/", views.case_detail, name="case-detail"),
    path("sprawy/<int:pk>/status/", views.case_status, name="case-status"),
    path("sprawy/<int:pk>/prowadzacy/", views.case_worker, name="case-worker"),
    path("sprawy/<int:pk>/strony/", views.case_party, name="case-party"),
    path("sprawy/<int:pk>/klasa/", views.case_class, name="case-class"),
    path("sprawy/<int:pk>/dokumenty/", views.case_document, name="case-document"),
    path("sprawy/<int:pk>/metryka.csv", views.case_metryka_export, {"fmt": "csv"}, name="case-metryka-csv"),
    path("sprawy/<int:pk>/metryka.xlsx", views.case_metryka_export, {"fmt": "xlsx"}, name="case-metryka-xlsx"),
    path("spis-spraw/", views.case_register, name="case-register"),
    path("korespondenci/", views.correspondent_list, name="correspondent-list"),
    path("korespondenci/szukaj/", views.correspondent_search, name="correspondent-search"),
    path("korespondenci/nowy/", views.correspondent_create, name="correspondent-create"),
    path("korespondenci/<int:pk>/", views.correspondent_detail, name="correspondent-detail"),
    path("korespondenci/<int:pk>/edycja/", views.correspondent_edit, name="correspondent-edit"),
    path("korespondenci/<int:pk>/scal/", views.correspondent_merge, name="correspondent-merge"),
    path("jrwa/", views.jrwa, name="jrwa"),
    path("jrwa/szukaj/", views.jrwa_search, name="jrwa-search"),
]
