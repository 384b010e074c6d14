"""python manage.py check_dossiers [--regle KEY] [--quiet]: every dossier whose history breaks a rule of
the wheel, with the rule in French and counts per rule. Exit status 1 when a dossier is flagged, so a
scheduler can alert."""
from django.core.management.base import BaseCommand

from reporting import consistency


class Command(BaseCommand):
    help = "Liste les dossiers dont l'historique contredit une règle de la roue, avec le nombre par règle."

    def add_arguments(self, parser):
        parser.add_argument("--regle", choices=[key for key, *_ in consistency.RULES],
                            help="N'afficher que cette règle.")
        parser.add_argument("--quiet", action="store_true", help="Seulement le nombre par règle.")

    def handle(self, *args, **options):
        results = consistency.check()
        if options["regle"]:
            results = [r for r in results if r.key == options["regle"]]
        flagged = {b.dossier_id for r in results for b in r.breaks}
        for result in results:
            self.stdout.write(f"{result.count:6d}  {result.text}")
            if not options["quiet"]:
                for b in result.breaks:
                    self.stdout.write(f"        dossier n° {b.dossier_id} : {b.detail}")
        self.stdout.write(f"{len(flagged)} dossier(s) à vérifier.")
        if flagged:
            raise SystemExit(1)
