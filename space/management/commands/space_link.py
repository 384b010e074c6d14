"""Print a sign-in link to a young person's space (demo and support): the same one-time, 30-minute link
the sign-in page sends, without sending anything."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from space.services import account_for, link_url, youths_for_address


class Command(BaseCommand):
    help = "Affiche un lien de connexion (valable 30 minutes, une fois) à l'espace du jeune de cette adresse."

    def add_arguments(self, parser):
        parser.add_argument("address", help="Courriel ou téléphone du jeune, tel qu'enregistré.")
        parser.add_argument("--force", action="store_true", help="Autoriser même avec DEBUG désactivé.")

    def handle(self, *args, address, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusé : DEBUG est désactivé (production ?). Ajoutez --force pour afficher le lien.")
        youths = youths_for_address(address)
        if not youths:
            raise CommandError(f"Aucun jeune avec un dossier n'a l'adresse « {address} ».")
        for youth in youths:
            self.stdout.write(f"{youth} : {link_url(account_for(youth).user)}")
