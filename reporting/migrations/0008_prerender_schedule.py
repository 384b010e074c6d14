"""The report files rendered ahead as a django-celery-beat row (every 2 minutes, task
``reporting.prerender_reports``, see reporting/prerender.py). A run not started within 110 seconds is
dropped (the next one does its work). Editable by administrators in the admin (« Tâches
périodiques »); an existing row of the same name is left as it is."""
from django.db import migrations

NAME = "Rapports : fichiers préparés d'avance"
TASK = "reporting.prerender_reports"
DESCRIPTION = (
    "Toutes les 2 minutes : calcule d'avance le PDF et le XLSX de chaque rapport pour toute la plateforme "
    "(filtres par défaut) quand les données ont changé, pour que leur téléchargement soit immédiat. "
    "Ne fait rien quand rien n'a changé."
)


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    interval, _ = IntervalSchedule.objects.get_or_create(every=2, period="minutes")
    PeriodicTask.objects.create(name=NAME, task=TASK, interval=interval, description=DESCRIPTION, enabled=True,
                                expire_seconds=110)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_populationfigure"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
