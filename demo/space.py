"""Demo data of the young person's space, added on top of ``seed_demo`` (idempotent): every demo young
person with an email gets their account, so that a sign-in link can be asked for at once."""
from dossiers.models import Youth
from space.services import account_for


def seed_space():
    youths = Youth.objects.exclude(email="").filter(dossiers__isnull=False, account__isnull=True).distinct()
    for youth in youths:
        account_for(youth)


def example_youth():
    """A demo young person with an email and a dossier under way (shown with the demo logins)."""
    return (Youth.objects.exclude(email="").filter(account__isnull=False, dossiers__state="en_montage")
            .order_by("pk").first()
            or Youth.objects.exclude(email="").filter(account__isnull=False).order_by("pk").first())
