from django.urls import path

from . import views

app_name = "departures"

urlpatterns = [
    path("", views.stays_in_progress, name="stays"),
    path("a-venir/", views.upcoming_departures, name="upcoming"),
    # One dossier
    path("dossier/<int:pk>/accepter/", views.accept, name="accept"),
    path("dossier/<int:pk>/sejour/", views.stay_edit, name="stay_edit"),
    path("dossier/<int:pk>/contrat/generer/", views.contract_generate, name="contract_generate"),
    path("dossier/<int:pk>/contrat/signer/", views.contract_sign, name="contract_sign"),
    path("dossier/<int:pk>/contrat/v<int:version>.pdf", views.contract_pdf, name="contract_pdf"),
    path("dossier/<int:pk>/contrat/v<int:version>/copie-signee/", views.contract_scan, name="contract_scan"),
    path("dossier/<int:pk>/contrat/v<int:version>/deposer-copie/", views.contract_scan_upload, name="contract_scan_upload"),
    path("dossier/<int:pk>/participation/", views.copayment, name="copayment"),
    path("dossier/<int:pk>/depart/", views.departure, name="departure"),
    path("dossier/<int:pk>/retour-anticipe/", views.early_return, name="early_return"),
    path("dossier/<int:pk>/retour/", views.return_home, name="return"),
    path("dossier/<int:pk>/bilan/", views.return_review, name="review"),
    path("dossier/<int:pk>/rapport-activite/", views.activity_report, name="activity_report"),
    path("dossier/<int:pk>/visite/", views.visit_add, name="visit_add"),
    path("dossier/<int:pk>/incident/", views.incident_add, name="incident_add"),
    path("dossier/<int:pk>/visite/<int:visit_pk>/", views.visit_add, name="visit_edit"),
    path("dossier/<int:pk>/visite/<int:visit_pk>/supprimer/", views.visit_delete, name="sitevisit_delete"),
    path("dossier/<int:pk>/incident/<int:incident_pk>/", views.incident_add, name="incident_edit"),
    path("dossier/<int:pk>/incident/<int:incident_pk>/supprimer/", views.incident_delete, name="incident_delete"),
    # Reference data
    path("structures-accueil/", views.host_list, name="hosts"),
    path("structures-accueil/nouvelle/", views.host_edit, name="host_create"),
    path("structures-accueil/<int:pk>/", views.host_detail, name="host_detail"),
    path("structures-accueil/<int:pk>/modifier/", views.host_edit, name="host_edit"),
    path("conventions/", views.funding_list, name="funding"),
    path("conventions/nouvelle/", views.funding_edit, name="funding_create"),
    path("conventions/<int:pk>/modifier/", views.funding_edit, name="funding_edit"),
    path("conventions/<int:pk>/supprimer/", views.funding_delete, name="funding_delete"),
    path("dispositifs/", views.scheme_list, name="schemes"),
    path("dispositifs/nouveau/", views.scheme_edit, name="scheme_create"),
    path("dispositifs/<int:pk>/modifier/", views.scheme_edit, name="scheme_edit"),
]
