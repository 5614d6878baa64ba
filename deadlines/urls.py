from django.urls import path

from deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eksport.<str:fmt>", views.export, name="export"),
    path("propozycja-terminu/", views.proposal, name="proposal"),
    path("sprawa/<int:case_pk>/", views.case_deadline, name="case"),
    path("przedluzenie/<int:pk>/zawiadomienie.docx", views.notice, name="notice"),
    path("przedluzenie/<int:pk>/zawiadomienie.txt", views.notice_text, name="notice-text"),
    path("przedluzenie/<int:pk>/zapisz/", views.save_notice, name="save-notice"),
]
