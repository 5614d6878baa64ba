from django.urls import path

from search.api import SearchAPIView

urlpatterns = [path("search/", SearchAPIView.as_view(), name="api-search")]
