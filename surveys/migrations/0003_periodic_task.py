"""The daily schedule of the questionnaires and surveys, as data (django-celery-beat), editable in the
admin (« Tâches périodiques »). An existing row of the same name is left as an administrator set it."""
from django.db import migrations

NAME = "Questionnaires et enquêtes après le retour : échéances et rappels"
TASK = "surveys.daily_surveys"
DESCRIPTION = ("Crée les questionnaires de satisfaction (bilan de retour) et les enquêtes à 12 et 36 mois échus, "
               "envoie au jeune le lien vers son espace, puis deux rappels tant qu'il n'a pas répondu.")


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="15", hour="7", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="Europe/Paris")
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, description=DESCRIPTION, enabled=True)


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_default_questionnaire"), ("django_celery_beat", "0018_improve_crontab_helptext")]
    operations = [migrations.RunPython(create, remove)]
