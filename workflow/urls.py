from django.urls import path

from workflow import bulk_views, views

app_name = "workflow"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("zadania/zbiorczo/", bulk_views.bulk_action, name="bulk"),  # before <which>, which would take it
    path("zadania/<slug:which>/", views.task_list, name="task_list"),
    path("zadanie/<int:pk>/", views.task_detail, name="task"),
    path("zadanie/<int:pk>/przejmij/", views.claim, name="claim"),
    path("zadanie/<int:pk>/schemat.svg", views.process_chart, name="process_chart"),
    path("zadanie/<int:pk>/plik/<int:version_pk>/", views.task_file, name="task_file"),
    path("sprawa/<int:case_pk>/akceptacja/", views.start_route, name="start_route"),
    path("trasy/", views.route_list, name="routes"),
    path("trasy/wersja/<int:version_pk>/", views.route_detail, name="route"),
    path("powiadomienia/", views.notification_settings, name="notifications"),
]
