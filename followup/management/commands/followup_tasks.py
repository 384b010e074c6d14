"""Run the scheduled follow-up tasks now, in this process (no worker needed): useful on a first run,
after an incident, or to catch up a day. Safe to repeat: nothing is created or sent twice."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from followup import calls, reminders

TASKS = {
    "suivi": ("Appels échus", calls.create_due_calls),
    "liens": ("Liens de suivi envoyés aux jeunes", reminders.followup_link_messages),
    "recapitulatifs": ("Récapitulatifs des conseillers", reminders.digest_messages),
    "europass": ("Rappels Europass", reminders.europass_messages),
    "retour": ("Rappels du rapport d'activité", reminders.return_report_messages),
    "depart": ("Rappels avant le départ (J-7)", reminders.departure_messages),
    "reunions": ("Rappels de réunion (J-2)", reminders.meeting_messages),
    "commissions": ("Rappels de commission (J-2)", reminders.commission_messages),
}


class Command(BaseCommand):
    help = "Exécute maintenant les tâches planifiées du suivi (appels échus, récapitulatifs, rappels)."

    def add_arguments(self, parser):
        parser.add_argument("--jour", help="Jour à traiter (AAAA-MM-JJ), aujourd'hui par défaut.")
        parser.add_argument("taches", nargs="*", choices=[[]] + list(TASKS), metavar="tâche",
                            help=f"Tâches à exécuter parmi : {', '.join(TASKS)} (toutes par défaut).")
        parser.add_argument("--envoyer-ici", action="store_true",
                            help="Envoyer les messages dans ce processus au lieu de les confier au worker Celery.")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["jour"]) if options["jour"] else None
        except ValueError:
            raise CommandError("--jour : date attendue au format AAAA-MM-JJ, par exemple 2026-11-23.")
        if options["envoyer_ici"]:
            from celery import current_app

            current_app.conf.task_always_eager = True
        for key in options["taches"] or TASKS:
            label, function = TASKS[key]
            self.stdout.write(f"{label} : {function(day)}")
