from django.urls import path

from . import preferences, views

app_name = "space"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.sign_in, name="login"),
    path("lien/", views.link, name="link"),
    path("dossier/<int:pk>/", views.dossier, name="dossier"),
    path("dossier/<int:pk>/pieces/", views.pieces, name="pieces"),
    path("dossier/<int:pk>/pieces/<int:type_pk>/envoyer/", views.piece_upload, name="piece_upload"),
    path("dossier/<int:pk>/contrat/", views.contract, name="contract"),
    path("dossier/<int:pk>/contrat/<int:version>.pdf", views.contract_pdf, name="contract_pdf"),
    path("reunion/<int:invitation_pk>/", views.meeting, name="meeting"),
    path("reunion/<int:invitation_pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("suivi/<int:call_pk>/", views.followup, name="followup"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export.<str:fmt>", views.my_data_export, name="my_data_export"),
    path("equipe/rectifications/", views.rectifications, name="rectifications"),
    path("equipe/rectifications/<int:pk>/traitee/", views.rectification_handle, name="rectification_handle"),
    path("envoyer-lien/<int:pk>/", views.send_link, name="send_link"),
    path("equipe/dossier/<int:pk>/contrat/<int:version>-accepte.pdf", views.accepted_contract_pdf,
         name="accepted_contract_pdf"),
    path("preferences/", preferences.preferences, name="preferences"),
]
