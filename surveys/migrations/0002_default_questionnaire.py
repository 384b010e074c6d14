"""The platform's default satisfaction questionnaire (version 1), built on what the evaluation reports of
such programmes ask. Managers change it in the admin; a change after the first answers is a new version."""
from django.db import migrations
from django.utils import timezone

SCALE4 = [["4", "excellent"], ["3", "très bien"], ["2", "satisfaisant"], ["1", "insatisfaisant"],
          ["ne_sait_pas", "ne sait pas"]]
YES_NO = [["oui", "oui"], ["non", "non"]]

NAME = "Questionnaire de satisfaction au retour"
DESCRIPTION = ("Votre séjour est terminé : dites-nous ce que vous en pensez. Vos réponses aident la plateforme "
               "à améliorer les séjours des prochains jeunes.")
# (section, [(code, question, kind, required, options, partner_rated)])
SECTIONS = [
    ("Organisation générale du programme", [
        ("organisation_plateforme", "L'organisation du programme par la plateforme", "scale4", True, "", False),
        ("organisation_partenaire", "L'organisation par la structure d'accueil à l'étranger", "scale4", True, "", True),
        ("information_avant_depart", "Les informations reçues avant le départ étaient suffisantes", "yes_no", True, "", False),
        ("fiches_de_suivi", "Les fiches de suivi étaient faciles à utiliser", "yes_no", False, "", False),
    ]),
    ("Le cours de langue", [
        ("langue_amelioree", "Votre niveau dans la langue du pays s'est amélioré", "yes_no", False, "", False),
        ("cours_de_langue", "Le cours de langue", "scale4", False, "", False),
    ]),
    ("Le stage", [
        ("stage", "Le stage (ou l'emploi) à l'étranger", "scale4", True, "", True),
        ("taches_objectif", "Les tâches confiées correspondaient à votre objectif de formation", "yes_no", False, "", False),
        ("relations_travail", "Les relations au travail", "scale4", False, "", True),
    ]),
    ("Le logement", [
        ("logement_type", "Votre logement", "one_choice", False,
         "Famille d'accueil\nLogement individuel\nLogement fourni par l'entreprise\nColocation", False),
        ("logement", "Le logement", "scale4", False, "", False),
        ("logement_problemes", "Avez-vous eu des problèmes particuliers avec le logement ? Lesquels ?", "free_text",
         False, "", False),
    ]),
    ("Bilan général", [
        ("experience_enrichissante", "L'expérience a été enrichissante", "yes_no", True, "", False),
        ("bourse_suffisante", "La bourse était suffisante", "yes_no", False, "", False),
        ("solution_trouvee", "Quand il y a eu un problème, une solution a été trouvée", "yes_no", False, "", False),
    ]),
    ("Votre situation aujourd'hui", [
        ("situation_actuelle", "Votre situation aujourd'hui", "one_choice", True,
         "En recherche d'emploi\nEn études ou en formation\nEn emploi", False),
        ("repartir", "Repartiriez-vous à l'étranger ?", "yes_no", True, "", False),
        ("commentaire", "Un mot à ajouter ?", "free_text", False, "", False),
    ]),
]


def options_of(kind, text):
    if kind == "scale4":
        return SCALE4
    if kind == "yes_no":
        return YES_NO
    return [[line, line] for line in text.splitlines() if line.strip()]


def create(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    if Questionnaire.objects.filter(name=NAME).exists():
        return
    Section = apps.get_model("surveys", "Section")
    Item = apps.get_model("surveys", "Item")
    Version = apps.get_model("surveys", "QuestionnaireVersion")
    questionnaire = Questionnaire.objects.create(name=NAME, description=DESCRIPTION, active=True)
    content = {"name": NAME, "description": DESCRIPTION, "sections": []}
    for s, (title, items) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(questionnaire=questionnaire, title=title, position=s)
        frozen = []
        for i, (code, label, kind, required, options, partner) in enumerate(items, start=1):
            Item.objects.create(section=section, code=code, label=label, kind=kind, required=required, options=options,
                                partner_rated=partner, position=i)
            frozen.append({"code": code, "label": label, "kind": kind, "required": required, "partner_rated": partner,
                           "options": options_of(kind, options)})
        content["sections"].append({"title": title, "items": frozen})
    Version.objects.create(questionnaire=questionnaire, number=1, content=content, created_at=timezone.now())


def remove(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    for questionnaire in Questionnaire.objects.filter(name=NAME):
        questionnaire.versions.all().delete()
        questionnaire.delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
