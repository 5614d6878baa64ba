from django.urls import path

from dispatch import callbacks, views

app_name = "dispatch"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("wyslij/", views.send_selected, name="send"),
    path("postep/", views.progress, name="progress"),
    path("zadanie/<int:task_pk>/", views.prepare_task, name="prepare"),
    path("zwrotki/", views.returns, name="returns"),
    path("ksiazka/", views.book_today, name="book-today"),
    path("ksiazka/<str:day>/", views.book, name="book"),
    path("ksiazka/<str:day>/koperty.pdf", views.labels_for_day, name="labels"),
    path("sprawa/<int:case_pk>/zamknij/", views.close_case, name="close-case"),
    path("edoreczenia/<str:token>/", callbacks.callback, name="callback"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/koperta.pdf", views.envelope, name="envelope"),
    path("<int:pk>/zpo.pdf", views.zpo, name="zpo"),
]
