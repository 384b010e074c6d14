import datetime
import re

from django.core.files.base import ContentFile

from departures.models import Contract
from dossiers.tests.factories import YouthFactory, dossier_in_state
from followup.models import SentMessage
from referrals.models import Invitation, Meeting
from space.services import LINK_KIND, account_for


def youth_with_dossier(state, actor, *, email="lea.martin@exemple.fr", phone="", **kwargs):
    youth = YouthFactory(first_name="Léa", last_name="Martin", email=email, phone=phone)
    dossier = dossier_in_state(state, actor, youth=youth, **kwargs)
    return youth, dossier


def invitation_for(dossier, actor, days=5, **kwargs):
    meeting = Meeting.objects.create(date=datetime.date.today() + datetime.timedelta(days=days),
                                     start_time=datetime.time(9, 30), place="Salle Rhône", created_by=actor,
                                     **kwargs)
    return Invitation.objects.create(meeting=meeting, dossier=dossier, invited_by=actor)


def real_pdf(pages=2):
    """A small well-formed PDF (``MINIMAL_PDF`` has no cross-reference table: pypdf cannot read it)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def contract_for(dossier, actor, version=1, content=None):
    return Contract.objects.create(dossier=dossier, version=version, generated_by=actor,
                                   pdf=ContentFile(content or real_pdf(), name=f"contrat-v{version}.pdf"))


def last_link(youth):
    """The path and query of the last sign-in link sent to ``youth`` (read from the outbox)."""
    message = SentMessage.objects.filter(kind=LINK_KIND, object_key=f"youth:{youth.pk}").order_by("-pk").first()
    assert message is not None, "aucun lien envoyé"
    found = re.search(r"https?://\S+", message.body)
    if found is None:  # already sent: the outbox keeps no live link, the email itself has it
        from django.core import mail

        sent = [m for m in mail.outbox if "/espace/lien/" in m.body]
        assert sent, "lien envoyé mais introuvable"
        found = re.search(r"https?://\S+", sent[-1].body)
    url = found.group(0)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def token_of(link):
    return link.split("sesame=", 1)[1]


def signed_in_client(client, youth):
    """``client`` signed in as the young person (the link itself is tested in test_sign_in.py)."""
    account = account_for(youth)
    client.force_login(account.user, backend="sesame.backends.ModelBackend")
    return client
