"""The schedules of the follow-up and reminder tasks, as data (django-celery-beat): visible and editable
by administrators in the Django admin, « Tâches périodiques ». Existing rows (same name) are left as an
administrator may have changed them."""
from django.db import migrations

TIMEZONE = "Europe/Paris"

# (name, task, crontab (minute, hour) or interval minutes, description)
SCHEDULES = [
    ("Suivi à six mois : appels du jour et récapitulatif des conseillers", "followup.daily_followup", ("0", "7"),
     "Crée les appels de suivi échus (mois 1 à 6 après le retour), envoie au jeune son lien de réponse et "
     "à chaque conseiller le récapitulatif des appels du jour et en retard."),
    ("Rappels Europass", "followup.europass_reminders", ("0", "9"),
     "Rappelle aux jeunes en séjour de compléter leur Europass, selon la cadence de leur dispositif "
     "(quotidienne ou hebdomadaire)."),
    ("Rappel du rapport d'activité avant le retour", "followup.return_report_reminders", ("30", "9"),
     "Une fois par séjour, dans les 7 jours avant le retour prévu : préparer le rapport d'activité."),
    ("Rappels de réunion (J-2)", "followup.meeting_reminders", ("0", "10"),
     "Deux jours avant une information collective, un entretien ou une réunion de préparation : "
     "rappel au jeune invité."),
    ("Renvoi des messages en attente", "followup.resend_pending_messages", 10,
     "Filet de sécurité : renvoie les messages restés en attente (reprise après incident, nouvelles tentatives)."),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, when, description in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        fields = {"task": task, "description": description, "enabled": True}
        if isinstance(when, int):
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(every=when, period="minutes")
        else:
            minute, hour = when
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone=TIMEZONE
            )
        PeriodicTask.objects.create(name=name, **fields)


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_call_attempts_sent_messages"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
