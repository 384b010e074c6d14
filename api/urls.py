from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import report_views, token_views, views

app_name = "api"

urlpatterns = [
    path("v1/fiches/", views.FicheList.as_view(), name="fiches"),
    path("v1/fiches/<int:id>/", views.FicheDetail.as_view(), name="fiche"),
    path("v1/rapports/", report_views.ReportList.as_view(), name="reports"),
    path("v1/rapports/<str:key>/", report_views.ReportDetail.as_view(), name="report"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, from the drf-spectacular-sidecar package's files; its start script has its own URL
    # (?script), so that the page holds no inline script (the CSP, config/settings.py).
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("jetons/", token_views.token_list, name="tokens"),
    path("jetons/nouveau/", token_views.token_create, name="token_create"),
    path("jetons/<int:pk>/revoquer/", token_views.token_revoke, name="token_revoke"),
]
