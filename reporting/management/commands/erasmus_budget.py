"""python manage.py erasmus_budget --agreement NUMBER|ID [--format csv|xlsx|pdf] [--output FILE]"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departures.models import FundingAgreement
from reporting import erasmus_budget, renderers


class Command(BaseCommand):
    help = "Produit le budget d'une convention de financement (accordé, engagé, versé, restant) en CSV, XLSX ou PDF."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True, help="numéro de convention Erasmus+ ou identifiant")
        parser.add_argument("--format", choices=renderers.FORMATS, default="csv")
        parser.add_argument("--output", help="fichier à écrire (CSV sans --output : sortie standard)")

    def handle(self, *args, agreement, format, output, **options):
        value = agreement.strip()
        found = FundingAgreement.objects.filter(grant_agreement_number=value.upper()).first()
        if found is None and value.isdigit():
            found = FundingAgreement.objects.filter(pk=int(value)).first()
        if found is None:
            raise CommandError(f"Convention inconnue : « {agreement} ».")
        content = renderers.render(erasmus_budget.report(found), format)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"Budget écrit dans {output}.")
        elif format == "csv":
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            raise CommandError("Indiquez --output pour un fichier XLSX ou PDF.")
