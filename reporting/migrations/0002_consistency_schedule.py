"""The nightly consistency check as a django-celery-beat row (02:30, task ``reporting.check_dossiers``;
``python manage.py check_dossiers`` does the same by hand). Editable by administrators in the admin
(« Tâches périodiques »); an existing row of the same name is left as it is."""
from django.db import migrations

NAME = "Cohérence des dossiers : règles de la roue vérifiées chaque nuit"
TASK = "reporting.check_dossiers"
DESCRIPTION = (
    "Chaque nuit : liste les dossiers dont l'historique contredit une règle de la roue (dates dans le "
    "désordre, retour anticipé non déclaré, plusieurs dossiers ouverts…). Résultat dans le journal du "
    "worker et sur la page /rapports/coherence/. Même traitement que « python manage.py check_dossiers »."
)


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Paris"
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, description=DESCRIPTION, enabled=True)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
