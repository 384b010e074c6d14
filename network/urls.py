from django.urls import path

from .views import ambassadors, dashboard, meetings, pairing

app_name = "network"

urlpatterns = [
    path("ambassadeurs/", ambassadors.ambassador_list, name="ambassador_list"),
    path("ambassadeurs/nouveau/", ambassadors.ambassador_create, name="ambassador_create"),
    path("ambassadeurs/<int:pk>/", ambassadors.ambassador_detail, name="ambassador_detail"),
    path("ambassadeurs/<int:pk>/modifier/", ambassadors.ambassador_edit, name="ambassador_edit"),
    path("ambassadeurs/<int:pk>/retirer/", ambassadors.ambassador_withdraw, name="ambassador_withdraw"),
    path("ambassadeurs/<int:pk>/intervenir/", ambassadors.ambassador_speak, name="ambassador_speak"),
    path("interventions/<int:pk>/presence/", ambassadors.speaker_presence, name="speaker_presence"),
    path("mon-engagement/retirer/", ambassadors.youth_withdraw, name="youth_withdraw"),
    path("parrainages/", pairing.pairing_list, name="pairing_list"),
    path("parrainages/nouveau/", pairing.pairing_create, name="pairing_create"),
    path("parrainages/<int:pk>/", pairing.pairing_detail, name="pairing_detail"),
    path("parrainages/<int:pk>/terminer/", pairing.pairing_end, name="pairing_end"),
    path("parrainages/<int:pk>/rencontre/", pairing.pair_meeting_add, name="pair_meeting_add"),
    path("parrainages/<int:pk>/rencontres/<int:meeting_pk>/supprimer/", pairing.pair_meeting_delete,
         name="pair_meeting_delete"),
    path("reunions/", meetings.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", meetings.meeting_edit, name="meeting_create"),
    path("reunions/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", meetings.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/supprimer/", meetings.meeting_delete, name="meeting_delete"),
    path("reunions/<int:pk>/annuler/", meetings.meeting_cancel, name="meeting_cancel"),
    path("reunions/<int:pk>/inviter/", meetings.meeting_invite, name="meeting_invite"),
    path("reunions/<int:pk>/presences/", meetings.meeting_attendance, name="meeting_attendance"),
    path("reunions/<int:pk>/compte-rendu.pdf", meetings.meeting_minutes, name="meeting_minutes"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
]
