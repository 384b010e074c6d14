"""Accounts for the load test: one per simulated user (each with its own authenticator, as a TOTP code
is accepted once per device and time step), and the ids the pages need. Writes them as JSON.

Downloads need files the data set does not make: contracts (the real contract PDF, rendered once per
dossier), pieces of dossiers (a small PDF) and a commission with reviews (its minutes are rendered at
each download). They are written under MEDIA_ROOT, which must be the web server's.

    python bench/load_setup.py OUT.json [--users 50]
"""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "Banc-d-essai-2026"
# The mix of the simulated users: counsellors of missions locales, platform staff, managers.
MIX = [("counsellor", 0.4), ("mobility", 0.3), ("reception", 0.1), ("manager", 0.2)]


def main():
    import django

    django.setup()
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dossiers.models import Dossier, Youth
    from ipm.enums import Role
    from ipm.models import User
    from referrals.models import Structure

    out, count = sys.argv[1], int(sys.argv[sys.argv.index("--users") + 1]) if "--users" in sys.argv else 50
    staff = User.objects.filter(role=Role.MOBILITY).first()
    structures = list(Structure.objects.annotate(n=Count("dossiers")).order_by("-n")[:10])
    accounts = []
    roles = [role for role, share in MIX for _ in range(round(share * count))][:count]
    for i, role in enumerate(roles):
        user, _ = User.objects.get_or_create(username=f"charge-{role}-{i}", defaults={
            "role": Role(role), "first_name": "Charge", "last_name": f"N{i}",
            "structure": structures[i % len(structures)] if role == Role.COUNSELLOR else None})
        user.set_password(PASSWORD)
        user.save()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Charge", confirmed=True)
        own = list(Dossier.objects.filter(structure=user.structure).values_list("pk", flat=True)[:200]) \
            if user.structure_id else []
        accounts.append({"username": user.username, "password": PASSWORD, "role": role, "key": device.key,
                         "step": device.step, "digits": device.digits, "dossiers": own,
                         "contracts": contracts(staff, Dossier.objects.filter(structure=user.structure), 3)
                         if user.structure_id else []})
    data = {
        "accounts": accounts,
        "contracts": contracts(staff, Dossier.objects.all(), 20),
        "documents": documents(staff, 20),
        "commissions": commission(staff, 15),
        "dossiers": list(Dossier.objects.order_by("?").values_list("pk", flat=True)[:2000]),
        "names": [f"{a} {b}" for a, b in Youth.objects.order_by("?").values_list("last_name", "first_name")[:300]],
    }
    Path(out).write_text(json.dumps(data))
    print(f"{len(accounts)} comptes de charge écrits dans {out}")


def contracts(staff, dossiers, count):
    """``count`` dossiers of ``dossiers`` with a signed contract (made if missing): [[dossier, version]]."""
    from django.core.files.base import ContentFile

    from departures import services
    from departures.models import Contract
    from dossiers.workflow import State

    states = [State.CONTRACT_SIGNED, State.ABROAD, State.RETURNED, State.FOLLOW_UP, State.CLOSED]
    chosen = list(dossiers.filter(state__in=states, scheme__isnull=False).select_related("youth", "scheme")
                  .order_by("pk")[:count])
    for dossier in chosen:
        if not Contract.objects.filter(dossier=dossier, version=1).exists():
            contract = Contract(dossier=dossier, version=1, generated_by=staff, signed_on=dossier.received_on,
                                copayment_amount=services.copayment_amount(dossier), signature_recorded_by=staff)
            contract.pdf.save("contrat-v1.pdf", ContentFile(services.render_contract_pdf(dossier, 1)), save=False)
            contract.save()
    return [[dossier.pk, 1] for dossier in chosen]


def documents(staff, count):
    """``count`` pieces (a one-page PDF each) on dossiers: [[dossier, document]]."""
    from django.core.files.base import ContentFile
    from weasyprint import HTML

    from dossiers.models import Document, DocumentType, Dossier

    kind = DocumentType.objects.filter(active=True).order_by("order", "pk").first()
    pdf = HTML(string="<p>Pièce d'identité (banc d'essai)</p>").write_pdf()
    found = []
    for dossier in Dossier.objects.order_by("-pk")[:count]:
        document = Document.objects.filter(dossier=dossier, document_type=kind).first()
        if document is None:
            document = Document(dossier=dossier, document_type=kind, original_name="piece.pdf", size=len(pdf),
                                uploaded_by=staff)
            document.file.save("piece.pdf", ContentFile(pdf), save=False)
            document.save()
        found.append([dossier.pk, document.pk])
    return found


def commission(staff, count):
    """A held commission reviewing ``count`` dossiers (its minutes are a PDF): [session ids]."""
    import datetime

    from django.utils import timezone

    from dossiers.enums import CommissionStatus, Decision
    from dossiers.models import CommissionReview, CommissionSession, Dossier

    session, created = CommissionSession.objects.get_or_create(
        date=datetime.date(2026, 1, 15), place="Salle du conseil (banc d'essai)", defaults={"status": CommissionStatus.HELD})
    if created:
        for dossier in Dossier.objects.order_by("pk")[:count]:
            CommissionReview.objects.create(session=session, dossier=dossier, added_by=staff, decision=Decision.ACCEPTED,
                                            comment="Projet solide.", decided_by=staff,
                                            decided_at=timezone.now())
    return [session.pk]


if __name__ == "__main__":
    main()
