from django.urls import path

from .views import fiches, meetings, outreach

app_name = "referrals"

urlpatterns = [
    path("mes-jeunes/", fiches.my_youths, name="my_youths"),
    path("nouvelle/", fiches.referral_create, name="create"),
    path("<int:pk>/modifier/", fiches.referral_edit, name="edit"),
    path("<int:pk>/supprimer/", fiches.referral_delete, name="delete"),
    # The « aller-vers » actions (outreach cohorts), kept by managers.
    path("actions-aller-vers/", outreach.action_list, name="outreach_actions"),
    path("actions-aller-vers/nouvelle/", outreach.action_edit, name="outreach_action_create"),
    path("actions-aller-vers/<int:pk>/modifier/", outreach.action_edit, name="outreach_action_edit"),
    path("actions-aller-vers/<int:pk>/supprimer/", outreach.action_delete, name="outreach_action_delete"),
    # Meetings (information collective, individual interview, preparation for departure).
    path("reunions/", meetings.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", meetings.meeting_edit, name="meeting_create"),
    path("reunions/inviter/", meetings.invite, name="meeting_invite"),
    path("reunions/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", meetings.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/supprimer/", meetings.meeting_delete, name="meeting_delete"),
    path("reunions/<int:pk>/annuler/", meetings.meeting_cancel, name="meeting_cancel"),
    path("reunions/<int:pk>/presences/", meetings.attendance, name="meeting_attendance"),
    path("reunions/<int:pk>/calendrier.ics", meetings.meeting_ics, name="meeting_ics"),
    path("reunions/invitations/<int:pk>/invitation.ics", meetings.invitation_ics, name="invitation_ics"),
    path("reunions/invitations/<int:pk>/retirer/", meetings.invitation_withdraw, name="invitation_withdraw"),
]
