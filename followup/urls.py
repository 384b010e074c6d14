from django.urls import path

from . import copy_settings, sms_views, views

app_name = "followup"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("appels/<int:pk>/", views.call_record, name="record"),
    path("dossiers/<int:pk>/clore/", views.close_dossier, name="close"),
    path("reponse/<str:token>/", views.answer, name="answer"),
    path("messages/", views.message_list, name="messages"),
    path("messages/<int:pk>/renvoyer/", views.message_resend, name="resend"),
    path("sms/rapports/<str:token>/", sms_views.sms_webhook, name="sms_webhook"),
    path("mes-notifications/", copy_settings.my_notifications, name="my_notifications"),
]
