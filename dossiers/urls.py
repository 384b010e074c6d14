from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/etape/", views.dossier_transition, name="transition"),
]
