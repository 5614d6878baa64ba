from django.urls import path

from deadlines import api

urlpatterns = [
    path("terminy/", api.CaseDeadlineList.as_view(), name="api-deadlines"),
    path("terminy/podsumowanie/", api.DeadlineSummary.as_view(), name="api-deadlines-summary"),
]
