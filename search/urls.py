from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="page"),
    path("zapisz/", views.save_search, name="save"),
    path("zapisane/<int:pk>/usun/", views.delete_saved_search, name="delete-saved"),
    path("eksport.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("eksport.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
]
