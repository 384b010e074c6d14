"""python manage.py report NAME [--year Y | --from Y1 --to Y2] [--scheme S] [--structure S]
                              [--host H] [--horizon 6|12|36] [--format csv|excel-csv|xlsx|pdf]
                              [--output FILE]

``csv`` is the fixed CSV of docs/report-formats.md (standard output without --output); ``excel-csv`` the
CSV pour Excel (BOM, semicolons, decimal comma, French titles), written to a file like XLSX and PDF."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departures.models import HostOrganisation, Scheme
from referrals.models import Structure
from reporting import renderers, reports
from reporting.filters import ReportFilters, funder_choices


def _by_name(model, value, label):
    if value is None:
        return None
    if value.isdigit():
        found = model.objects.filter(pk=int(value)).first()
        if found:
            return found
    found = model.objects.filter(name__iexact=value).first()
    if found is None:
        known = ", ".join(model.objects.values_list("name", flat=True)[:30])
        raise CommandError(f"{label} inconnu(e) : « {value} ». Connu(e)s : {known}")
    return found


class Command(BaseCommand):
    help = ("Produit un rapport (departures, funnel, profile, outcomes, fej, satisfaction) en CSV, CSV pour Excel "
            "(excel-csv), XLSX ou PDF.")

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(reports.REPORTS), help="le rapport")
        parser.add_argument("--year", type=int, help="une année")
        parser.add_argument("--from", dest="year_from", type=int, help="première année de la période")
        parser.add_argument("--to", dest="year_to", type=int, help="dernière année de la période")
        parser.add_argument("--scheme", help="nom (ou identifiant) du dispositif")
        parser.add_argument("--structure", help="nom (ou identifiant) de la structure")
        parser.add_argument("--department", default="", help="numéro du département des structures")
        parser.add_argument("--funder", default="", help="financeur (conventions de financement)")
        parser.add_argument("--host", help="nom (ou identifiant) de la structure d'accueil (satisfaction)")
        parser.add_argument("--horizon", type=int, choices=[6, 12, 36], default=6,
                            help="outcomes : la situation à 6, 12 ou 36 mois après le retour")
        parser.add_argument("--format", choices=renderers.FORMATS, default="csv",
                            help="csv (format fixe des financeurs), excel-csv (CSV pour Excel), xlsx ou pdf")
        parser.add_argument("--output", help="fichier à écrire (CSV sans --output : sortie standard)")

    def handle(self, *args, **options):
        if options["year"] is not None and (options["year_from"] is not None or options["year_to"] is not None):
            raise CommandError("Donnez --year, ou bien --from et --to, pas les deux.")
        year_from = options["year"] if options["year"] is not None else options["year_from"]
        year_to = options["year"] if options["year"] is not None else options["year_to"]
        if (year_from is None) != (year_to is None):
            year_from = year_to = year_from if year_from is not None else year_to
        if options["funder"] and options["funder"] not in dict(funder_choices()):
            raise CommandError(f"Financeur inconnu : « {options['funder']} ».")
        filters = ReportFilters(
            year_from=year_from, year_to=year_to,
            scheme=_by_name(Scheme, options["scheme"], "Dispositif"),
            structure=_by_name(Structure, options["structure"], "Structure"),
            department=options["department"], funder=options["funder"],
            host=_by_name(HostOrganisation, options["host"], "Structure d'accueil"), horizon=options["horizon"],
        )
        report = reports.build(options["name"], filters)
        fmt = options["format"]
        content = renderers.render(report, fmt)
        output = options["output"]
        if output is None and fmt == "csv":
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        path = Path(output or renderers.filename(report, fmt))
        path.write_bytes(content)
        self.stderr.write(f"Rapport écrit dans {path}")
