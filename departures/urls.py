from django.urls import path

from .views import acceptance, contract, copayment, erasmus, hosts, lists, schemes, stay

app_name = "departures"

urlpatterns = [
    path("", lists.stays_in_progress, name="stays"),
    path("a-venir/", lists.upcoming_departures, name="upcoming"),
    # One dossier
    path("dossier/<int:pk>/accepter/", acceptance.accept, name="accept"),
    path("dossier/<int:pk>/sejour/", stay.stay_edit, name="stay_edit"),
    path("dossier/<int:pk>/contrat/generer/", contract.contract_generate, name="contract_generate"),
    path("dossier/<int:pk>/contrat/signer/", contract.contract_sign, name="contract_sign"),
    path("dossier/<int:pk>/contrat/v<int:version>.pdf", contract.contract_pdf, name="contract_pdf"),
    path("dossier/<int:pk>/contrat/v<int:version>/copie-signee/", contract.contract_scan, name="contract_scan"),
    path("dossier/<int:pk>/contrat/v<int:version>/deposer-copie/", contract.contract_scan_upload, name="contract_scan_upload"),
    path("dossier/<int:pk>/participation/", copayment.copayment, name="copayment"),
    path("dossier/<int:pk>/depart/", stay.departure, name="departure"),
    path("dossier/<int:pk>/retour-anticipe/", stay.early_return, name="early_return"),
    path("dossier/<int:pk>/retour/", stay.return_home, name="return"),
    path("dossier/<int:pk>/bilan/", stay.return_review, name="review"),
    path("dossier/<int:pk>/rapport-activite/", stay.activity_report, name="activity_report"),
    path("dossier/<int:pk>/visite/", stay.visit_add, name="visit_add"),
    path("dossier/<int:pk>/incident/", stay.incident_add, name="incident_add"),
    path("dossier/<int:pk>/visite/<int:visit_pk>/", stay.visit_add, name="visit_edit"),
    path("dossier/<int:pk>/visite/<int:visit_pk>/supprimer/", stay.visit_delete, name="sitevisit_delete"),
    path("dossier/<int:pk>/incident/<int:incident_pk>/", stay.incident_add, name="incident_edit"),
    path("dossier/<int:pk>/incident/<int:incident_pk>/supprimer/", stay.incident_delete, name="incident_delete"),
    # Reference data
    path("structures-accueil/", hosts.host_list, name="hosts"),
    path("structures-accueil/nouvelle/", hosts.host_edit, name="host_create"),
    path("structures-accueil/<int:pk>/", hosts.host_detail, name="host_detail"),
    path("structures-accueil/<int:pk>/modifier/", hosts.host_edit, name="host_edit"),
    path("conventions/", schemes.funding_list, name="funding"),
    path("conventions/nouvelle/", schemes.funding_edit, name="funding_create"),
    path("conventions/<int:pk>/modifier/", schemes.funding_edit, name="funding_edit"),
    path("conventions/<int:pk>/supprimer/", schemes.funding_delete, name="funding_delete"),
    path("conventions/<int:pk>/budget/", erasmus.budget_page, name="budget"),
    path("conventions/<int:pk>/budget.<str:fmt>", erasmus.budget_download, name="budget_download"),
    path("erasmus/plateforme/", erasmus.platform_edit, name="platform_edit"),
    path("dossier/<int:pk>/bourse/", erasmus.grant, name="grant"),
    path("dossier/<int:pk>/document/<str:kind>.pdf", erasmus.mobility_document, name="mobility_document"),
    path("dispositifs/", schemes.scheme_list, name="schemes"),
    path("dispositifs/nouveau/", schemes.scheme_edit, name="scheme_create"),
    path("dispositifs/<int:pk>/modifier/", schemes.scheme_edit, name="scheme_edit"),
]
