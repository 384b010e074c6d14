"""The import sweep as a django-celery-beat row (every 10 minutes, task ``reporting.sweep_imports``):
fails the import jobs left waiting or running too long, queues again those the broker could not take,
deletes every import file older than a day. Editable by administrators in the admin (« Tâches
périodiques »); an existing row of the same name is left as it is."""
from django.db import migrations

NAME = "Imports de l'historique : jobs bloqués, relances et fichiers à supprimer"
TASK = "reporting.sweep_imports"
DESCRIPTION = (
    "Toutes les 10 minutes : marque « échoué » un import resté en attente ou en cours trop longtemps "
    "(service arrêté), relance un import que le service de files n'avait pas pu prendre, et supprime "
    "tout fichier d'import déposé depuis plus d'un jour (données personnelles)."
)


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    interval, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.create(name=NAME, task=TASK, interval=interval, description=DESCRIPTION, enabled=True)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_import_job_lifecycle"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
