from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    # The young person's space.
    path("mon-espace/questionnaires/<int:pk>/", views.answer, name="answer"),
    # Staff.
    path("enquetes/", views.call_list, name="call_list"),
    path("enquetes/questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("enquetes/reponses/<int:pk>/", views.response_detail, name="response"),
    path("enquetes/dossier/<int:pk>/<str:horizon>/saisir/", views.staff_entry, name="staff_entry"),
]
