"""python manage.py apply_retention [--dry-run] [--years N]

Anonymise the young people all of whose dossiers are closed (« clos » or « abandon ») for more than N
years (default: setting IPM_RETENTION_YEARS, 5). Idempotent: run it twice, the second run finds nothing.
Also run monthly by Celery beat (task ``ipm.apply_retention``)."""
from django.core.management.base import BaseCommand, CommandError

from privacy import retention


class Command(BaseCommand):
    help = ("Anonymise les jeunes dont tous les dossiers sont clos (ou abandonnés) depuis plus de N ans "
            "(IPM_RETENTION_YEARS, 5 par défaut).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche qui serait anonymisé, sans rien changer.")
        parser.add_argument("--years", type=int, default=None, help="Durée de conservation en années.")

    def handle(self, *args, dry_run=False, years=None, **options):
        if years is not None and years < 1:
            raise CommandError("La durée de conservation doit être d'au moins un an.")
        years = retention.retention_years() if years is None else years
        done = retention.apply_retention(years=years, dry_run=dry_run)
        cutoff = retention.retention_cutoff(years)
        if dry_run:
            for youth_id, _ in done:
                self.stdout.write(f"À anonymiser : jeune n° {youth_id}")
            self.stdout.write(self.style.WARNING(
                f"Simulation : {len(done)} jeune(s) à anonymiser (dossiers clos avant le {cutoff:%d/%m/%Y}). "
                "Rien n'a été modifié."
            ))
            return
        for youth_id, erasure in done:
            if erasure is not None:
                self.stdout.write(f"Anonymisé : jeune n° {youth_id} ({erasure.dossiers} dossier(s))")
        count = sum(1 for _, erasure in done if erasure is not None)
        self.stdout.write(self.style.SUCCESS(
            f"{count} jeune(s) anonymisé(s) (dossiers clos avant le {cutoff:%d/%m/%Y})."
        ))
