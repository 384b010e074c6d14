from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("mes-jeunes/", views.my_youths, name="my_youths"),
    path("nouvelle/", views.referral_create, name="create"),
    path("<int:pk>/modifier/", views.referral_edit, name="edit"),
    path("<int:pk>/supprimer/", views.referral_delete, name="delete"),
]
