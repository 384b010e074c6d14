"""The monthly retention run (RGPD) as a django-celery-beat row: the 1st of each month at 03:00,
task ``ipm.apply_retention`` (``python manage.py apply_retention`` does the same by hand). Visible and
editable by administrators in the Django admin (« Tâches périodiques »); an existing row of the same
name is left as an administrator may have changed it."""
from django.db import migrations

NAME = "Conservation des données (RGPD) : anonymisation des dossiers clos depuis plus de 5 ans"
TASK = "ipm.apply_retention"
DESCRIPTION = (
    "Chaque mois : anonymise les jeunes dont tous les dossiers sont clos (ou abandonnés) depuis plus de "
    "IPM_RETENTION_YEARS ans (5 par défaut). Même traitement que « python manage.py apply_retention »."
)


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_week="*", day_of_month="1", month_of_year="*", timezone="Europe/Paris"
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, description=DESCRIPTION, enabled=True)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ipm", "0003_form_submission"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
