from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("mes-jeunes/", views.my_youths, name="my_youths"),
    path("nouvelle/", views.referral_create, name="create"),
    path("<int:pk>/modifier/", views.referral_edit, name="edit"),
    path("<int:pk>/supprimer/", views.referral_delete, name="delete"),
]

# Meetings (information collective, individual interview, preparation for departure).
from . import meeting_views  # noqa: E402

urlpatterns += [
    path("reunions/", meeting_views.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", meeting_views.meeting_edit, name="meeting_create"),
    path("reunions/inviter/", meeting_views.invite, name="meeting_invite"),
    path("reunions/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", meeting_views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/supprimer/", meeting_views.meeting_delete, name="meeting_delete"),
    path("reunions/<int:pk>/presences/", meeting_views.attendance, name="meeting_attendance"),
    path("reunions/<int:pk>/calendrier.ics", meeting_views.meeting_ics, name="meeting_ics"),
]
