from django.urls import path

from . import audit, views

app_name = "privacy"

urlpatterns = [
    path("dossiers/<int:pk>/rgpd/export.<str:fmt>", views.export, name="rgpd_export"),
    path("dossiers/<int:pk>/rgpd/effacer/", views.erase, name="rgpd_erase"),
    path("journal/", audit.journal, name="audit_log"),
]
