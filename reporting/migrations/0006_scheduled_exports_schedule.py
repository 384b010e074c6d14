"""The daily run of the managers' scheduled exports as a django-celery-beat row (06:15, task
``reporting.send_scheduled_exports``): each subscription due that day is mailed through the outbox, once.
Editable by administrators in the admin (« Tâches périodiques »); an existing row of the same name is left
as it is."""
from django.db import migrations

NAME = "Exports programmés : envoi des exports dus chaque matin"
TASK = "reporting.send_scheduled_exports"
DESCRIPTION = (
    "Chaque matin : envoie par courriel (pièce jointe, par la file des messages) les exports programmés par les "
    "responsables dont c'est le jour (rapport, fichier Erasmus+, rapports des financeurs). Un export déjà envoyé "
    "pour son jour ne l'est pas une seconde fois ; un jour manqué est rattrapé le lendemain."
)


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Paris"
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, description=DESCRIPTION, enabled=True)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_export_subscription"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
