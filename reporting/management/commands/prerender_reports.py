"""python manage.py prerender_reports: what the beat does every two minutes (reporting/prerender.py),
at once — e.g. after a deploy or an import, so that the first downloads find their files."""
from django.core.management.base import BaseCommand, CommandError

from ipm import filecache
from reporting import prerender


class Command(BaseCommand):
    help = "Prépare d'avance le PDF et le XLSX de chaque rapport pour toute la plateforme (filtres par défaut)."

    def handle(self, *args, **options):
        rendered = prerender.run()
        if rendered is None and not filecache.shared():
            self.stdout.write("Rien à préparer : sans Redis, chaque processus garde ses propres fichiers.")
            return
        if rendered is None:
            raise CommandError("Rien de préparé : le cache des fichiers est injoignable ou une préparation est en cours.")
        self.stdout.write(f"{rendered} fichier(s) de rapport préparé(s) d'avance.")
