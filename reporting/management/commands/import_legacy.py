"""python manage.py import_legacy FILE [--dry-run]"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting import legacy


class Command(BaseCommand):
    help = ("Importe l'historique d'une plateforme (modèle de docs/import.md, CSV ou XLSX) : "
            "tout le fichier ou rien.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV ou XLSX")
        parser.add_argument("--dry-run", action="store_true", help="vérifier et résumer sans rien enregistrer")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            summary = legacy.import_file(path.read_bytes(), path.name, dry_run=options["dry_run"])
        except legacy.ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Fichier refusé : {len(refused.errors)} erreur(s), rien n'a été enregistré."
            ) from None
        verb = "seraient créés" if options["dry_run"] else "créés"
        self.stdout.write(
            (f"Fichier lu en {summary['encoding']}. " if summary.get("encoding") else "")
            + f"{summary['rows']} ligne(s) lue(s) ; {summary['dossiers']} dossier(s) {verb}, "
            f"{summary['skipped']} déjà importé(s) (ignorés) ; {summary['new_youths']} nouveau(x) jeune(s), "
            f"{summary['known_youths']} déjà connu(s) ; {summary['stays']} séjour(s), "
            f"{summary['followups']} suivi(s) à six mois."
        )
        if summary["new_structures"]:
            self.stdout.write("Structures nouvelles : " + ", ".join(summary["new_structures"]))
        if summary["new_schemes"]:
            self.stdout.write("Dispositifs nouveaux : " + ", ".join(summary["new_schemes"]))
        if summary.get("warnings"):
            self.stdout.write(f"{len(summary['warnings'])} point(s) à vérifier (l'import n'est pas bloqué) :")
            for warning in summary["warnings"]:
                self.stdout.write(f"  Ligne {warning['line']}, colonne « {warning['column']} » : {warning['message']}")
        if options["dry_run"]:
            self.stdout.write("Vérification seule (--dry-run) : rien n'a été enregistré.")
        else:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
