"""Seed the default application checklist (every scheme) and the commission's evaluation grid."""
from django.db import migrations

DEFAULT_PIECES = [
    ("Attestation de responsabilité civile", ""),
    ("Carte vitale", "Copie recto verso, ou attestation de droits à l'assurance maladie."),
    ("Fiche sanitaire", "Remplie et signée."),
    ("Lettre de motivation en français", ""),
    ("Lettre de motivation en anglais", ""),
    ("CV en français", ""),
    ("CV en anglais", ""),
]

CRITERIA = [
    ("Motivation", "Envie de partir, raisons du départ, constance depuis la fiche de liaison."),
    ("Cohérence du projet professionnel", "Le séjour sert-il le projet professionnel ?"),
    ("Autonomie et savoir-être", "Ponctualité, engagement dans les démarches, capacité à vivre en collectivité."),
    ("Préparation linguistique", "Niveau et efforts en langue étrangère."),
    ("Faisabilité (papiers, santé, budget)", "Pièce d'identité valide, couverture, reste à charge possible."),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("dossiers", "DocumentType")
    CommissionCriterion = apps.get_model("dossiers", "CommissionCriterion")
    for order, (name, description) in enumerate(DEFAULT_PIECES, start=1):
        if not DocumentType.objects.filter(scheme__isnull=True, name=name).exists():
            DocumentType.objects.create(name=name, description=description, order=order * 10, required=True)
    for order, (name, description) in enumerate(CRITERIA, start=1):
        CommissionCriterion.objects.get_or_create(
            name=name, defaults={"description": description, "order": order * 10, "max_score": 5}
        )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_diagnostic_documents_commission")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
