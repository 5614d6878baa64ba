from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.substitutions, name="substitutions"),
    path("<int:pk>/odwolaj/", views.substitution_revoke, name="substitution-revoke"),
]
