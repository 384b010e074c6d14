"""The J-2 reminders also cover commissions: say so in the schedule's description (admin)."""
from django.db import migrations

NAME = "Rappels de réunion (J-2)"
OLD = ("Deux jours avant une information collective, un entretien ou une réunion de préparation : "
       "rappel au jeune invité.")
NEW = ("Deux jours avant une information collective, un entretien, une réunion de préparation ou une "
       "commission : rappel au jeune invité (ou dont le dossier est à l'ordre du jour).")


def forwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME, description=OLD).update(description=NEW)


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME, description=NEW).update(description=OLD)


class Migration(migrations.Migration):
    dependencies = [("followup", "0004_periodic_tasks")]

    operations = [migrations.RunPython(forwards, backwards)]
