from django.urls import path

from replies import views

app_name = "replies"
urlpatterns = [
    path("zadanie/<int:task_pk>/propozycja/<int:pk>/przyjmij/", views.accept, name="accept"),
    path("zadanie/<int:task_pk>/propozycja/<int:pk>/odrzuc/", views.decline, name="decline"),
]
