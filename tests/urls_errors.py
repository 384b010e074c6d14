"""The project's URLs plus a view that fails, for the error-page tests."""
from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns as project_urls  # noqa: F401


class DeliberateFailure(Exception):
    pass


def boom(request):
    raise DeliberateFailure("secret-detail-never-shown 4242")


urlpatterns = [path("test-erreur/", boom, name="boom"), *project_urls]
