from django.urls import path

from . import consistency_views, population_views, schedule_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("erasmus/", views.erasmus_export, name="erasmus"),
    path("evaluation/", views.evaluation_export, name="evaluation"),
    path("import/", views.import_upload, name="import"),
    path("import/modele.<str:fmt>", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/progression/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("exports-programmes/", schedule_views.schedule_list, name="schedules"),
    path("exports-programmes/nouveau/", schedule_views.schedule_create, name="schedule_create"),
    path("exports-programmes/<int:pk>/", schedule_views.schedule_edit, name="schedule_edit"),
    path("exports-programmes/<int:pk>/supprimer/", schedule_views.schedule_delete, name="schedule_delete"),
    path("population/", population_views.population_list, name="population"),
    path("population/nouvelle/", population_views.population_edit, name="population_create"),
    path("population/<int:pk>/modifier/", population_views.population_edit, name="population_edit"),
    path("population/<int:pk>/supprimer/", population_views.population_delete, name="population_delete"),
    path("coherence/", consistency_views.consistency_page, name="consistency"),
    path("<slug:name>/", views.report_page, name="report"),
    path("<slug:name>/telecharger.<str:fmt>", views.report_download, name="download"),
]
