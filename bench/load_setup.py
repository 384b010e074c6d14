"""Accounts for the load test: one per simulated user (each with its own authenticator, as a TOTP code
is accepted once per device and time step), and the ids the pages need. Writes them as JSON.

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
                         "step": device.step, "digits": device.digits, "dossiers": own})
    data = {
        "accounts": accounts,
        "dossiers": list(Dossier.objects.order_by("?").values_list("pk", flat=True)[:2000]),
        "names": [f"{a} {b}" for a, b in Youth.objects.order_by("?").values_list("last_name", "first_name")[:300]],
    }
    Path(out).write_text(json.dumps(data))
    print(f"{len(accounts)} comptes de charge écrits dans {out}")


if __name__ == "__main__":
    main()
