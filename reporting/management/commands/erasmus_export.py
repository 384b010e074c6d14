"""python manage.py erasmus_export --agreement NUMBER [--format xlsx|csv] [--output FILE] [--anyway]

The Beneficiary Module file of one Erasmus+ grant agreement. The pre-checks are printed first (in
French); with problems the file is not written unless --anyway is given."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departures.models import FundingAgreement
from reporting import erasmus


class Command(BaseCommand):
    help = "Écrit le fichier d'import des mobilités du Beneficiary Module d'une convention Erasmus+."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True, help="numéro de convention Erasmus+")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", help="fichier à écrire (par défaut : beneficiary-module-NUMÉRO.xlsx)")
        parser.add_argument("--anyway", action="store_true", help="écrire le fichier malgré les problèmes")

    def handle(self, *args, agreement, format, output, anyway, **options):
        found = FundingAgreement.objects.filter(grant_agreement_number=agreement.strip().upper()).first()
        if found is None:
            known = ", ".join(FundingAgreement.objects.exclude(grant_agreement_number="")
                              .values_list("grant_agreement_number", flat=True)[:20]) or "aucune"
            raise CommandError(f"Convention Erasmus+ inconnue : « {agreement} ». Connues : {known}")
        stays, problems, platform = erasmus.prepare(found)
        for problem in problems:
            self.stderr.write(f"- {problem.message} ({problem.fix_label} : {problem.fix_url})")
        if problems and not anyway:
            raise CommandError(f"{len(problems)} problème(s) : l'import les refuserait. Corrigez-les, ou --anyway.")
        path = Path(output or erasmus.filename(found, format))
        path.write_bytes(erasmus.export(found, format, stays, platform))
        self.stdout.write(f"{len(stays)} mobilité(s) écrite(s) dans {path}.")
