from django.urls import path


from . import commission_views, stage_views, views
from . import settings_views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("a-traiter/", views.worklists, name="worklists"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/etape/", views.dossier_transition, name="transition"),
    path("<int:pk>/diagnostic/", stage_views.diagnostic, name="diagnostic"),
    path("<int:pk>/projet/", stage_views.project, name="project"),
    path("<int:pk>/pieces/", stage_views.documents, name="documents"),
    path("<int:pk>/pieces/<int:type_pk>/deposer/", stage_views.document_upload, name="document_upload"),
    path("<int:pk>/pieces/fichier/<int:doc_pk>/", stage_views.document_download, name="document_download"),
    path("<int:pk>/pieces/fichier/<int:doc_pk>/verifier/", stage_views.document_review, name="document_review"),
    path("<int:pk>/pieces/fichier/<int:doc_pk>/supprimer/", stage_views.document_delete, name="document_delete"),
    path("pieces-demandees/", stage_views.checklist, name="checklist"),
    # Reference data kept by managers: the pieces asked (checklist) and the commission's evaluation grid.
    path("pieces-demandees/nouvelle/", settings_views.document_type_edit, name="document_type_create"),
    path("pieces-demandees/<int:pk>/modifier/", settings_views.document_type_edit, name="document_type_edit"),
    path("pieces-demandees/<int:pk>/activation/", settings_views.document_type_activation, name="document_type_activation"),
    path("pieces-demandees/<int:pk>/supprimer/", settings_views.document_type_delete, name="document_type_delete"),
    path("commissions/grille/", settings_views.criterion_list, name="criteria"),
    path("commissions/grille/nouveau/", settings_views.criterion_edit, name="criterion_create"),
    path("commissions/grille/<int:pk>/modifier/", settings_views.criterion_edit, name="criterion_edit"),
    path("commissions/grille/<int:pk>/activation/", settings_views.criterion_activation, name="criterion_activation"),
    path("commissions/grille/<int:pk>/supprimer/", settings_views.criterion_delete, name="criterion_delete"),
    path("commissions/", commission_views.commission_list, name="commission_list"),
    path("commissions/nouvelle/", commission_views.commission_edit, name="commission_create"),
    path("commissions/<int:pk>/", commission_views.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/modifier/", commission_views.commission_edit, name="commission_edit"),
    path("commissions/<int:pk>/ordre-du-jour/", commission_views.agenda_add, name="agenda_add"),
    path("commissions/<int:pk>/ordre-du-jour/<int:review_pk>/retirer/", commission_views.agenda_remove, name="agenda_remove"),
    path("commissions/<int:pk>/dossier/<int:review_pk>/", commission_views.review, name="review"),
    path("commissions/<int:pk>/proces-verbal.pdf", commission_views.minutes, name="minutes"),
]
