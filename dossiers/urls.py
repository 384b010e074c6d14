from django.urls import path

from .views import commission, detail, inbox, merge, reference_data, stages

app_name = "dossiers"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("a-traiter/", inbox.worklists, name="worklists"),
    path("<int:pk>/", detail.dossier_detail, name="detail"),
    path("<int:pk>/etape/", detail.dossier_transition, name="transition"),
    path("<int:pk>/diagnostic/", stages.diagnostic, name="diagnostic"),
    path("<int:pk>/projet/", stages.project, name="project"),
    path("<int:pk>/pieces/", stages.documents, name="documents"),
    path("<int:pk>/pieces/<int:type_pk>/deposer/", stages.document_upload, name="document_upload"),
    path("<int:pk>/pieces/fichier/<int:doc_pk>/", stages.document_download, name="document_download"),
    path("<int:pk>/pieces/fichier/<int:doc_pk>/verifier/", stages.document_review, name="document_review"),
    path("<int:pk>/pieces/fichier/<int:doc_pk>/supprimer/", stages.document_delete, name="document_delete"),
    path("<int:pk>/fusionner/", merge.youth_merge_search, name="youth_merge_search"),
    path("jeunes/<int:keep>/fusionner/<int:other>/", merge.youth_merge, name="youth_merge"),
    path("pieces-demandees/", stages.checklist, name="checklist"),
    # Reference data kept by managers: the pieces asked (checklist) and the commission's evaluation grid.
    path("pieces-demandees/nouvelle/", reference_data.document_type_edit, name="document_type_create"),
    path("pieces-demandees/<int:pk>/modifier/", reference_data.document_type_edit, name="document_type_edit"),
    path("pieces-demandees/<int:pk>/activation/", reference_data.document_type_activation, name="document_type_activation"),
    path("pieces-demandees/<int:pk>/supprimer/", reference_data.document_type_delete, name="document_type_delete"),
    path("commissions/grille/", reference_data.criterion_list, name="criteria"),
    path("commissions/grille/nouveau/", reference_data.criterion_edit, name="criterion_create"),
    path("commissions/grille/<int:pk>/modifier/", reference_data.criterion_edit, name="criterion_edit"),
    path("commissions/grille/<int:pk>/activation/", reference_data.criterion_activation, name="criterion_activation"),
    path("commissions/grille/<int:pk>/supprimer/", reference_data.criterion_delete, name="criterion_delete"),
    path("commissions/", commission.commission_list, name="commission_list"),
    path("commissions/nouvelle/", commission.commission_edit, name="commission_create"),
    path("commissions/<int:pk>/", commission.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/modifier/", commission.commission_edit, name="commission_edit"),
    path("commissions/<int:pk>/ordre-du-jour/", commission.agenda_add, name="agenda_add"),
    path("commissions/<int:pk>/ordre-du-jour/<int:review_pk>/retirer/", commission.agenda_remove, name="agenda_remove"),
    path("commissions/<int:pk>/dossier/<int:review_pk>/", commission.review, name="review"),
    path("commissions/<int:pk>/proces-verbal.pdf", commission.minutes, name="minutes"),
]
