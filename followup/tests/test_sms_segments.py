"""Every SMS stays within two parts. ``ipm.sms.segments`` counts them as the networks do (GSM 03.38:
160 in one part, 153 a part beyond, extension characters count two; any other character: UCS-2, 70 and
67); every SMS the code sends is rendered here with long, realistic values and counted."""
import pytest
from django.utils import timezone
from hypothesis import given, settings as hypothesis_settings, strategies as st

from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from followup import reminders
from followup.contact import fit_sms, sms_text, tell_youth
from followup.enums import Channel, MessageKind
from followup.models import SentMessage
from ipm.sms import encoding, gsm_text, segments
from space.services import send_link
from surveys.schedule import _texts

LONG_LINK = "https://mobilite-internationale.auvergne-rhone-alpes.exemple.fr/espace/dossiers/123456/pieces/"


def test_gsm_parts():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("a" * 306) == 2 and segments("a" * 307) == 3
    assert segments("é" * 160) == 1 and encoding("àéèùìòÇ") == "GSM-7"  # in the GSM alphabet


def test_extension_characters_count_double_and_are_never_split():
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2
    assert segments("a" * 158 + "[") == 1 and segments("a" * 159 + "[") == 2
    # 152 letters then « € »: it does not fit the first part's last septet, the part ends at 152.
    assert segments("a" * 152 + "€" + "a" * 152) == 3 and segments("a" * 151 + "€" + "a" * 152) == 2


def test_one_character_outside_gsm_makes_it_ucs2():
    assert encoding("Vous êtes invité") == "UCS-2"
    assert segments("ê" * 70) == 1 and segments("ê" * 71) == 2 and segments("ê" * 134) == 2 and segments("ê" * 135) == 3
    assert segments("😀" * 35) == 1 and segments("😀" * 36) == 2  # two UTF-16 units each


def test_french_text_is_written_in_gsm():
    text = gsm_text("Vous êtes prêt(e) : « réunion » à l’accueil… c’est noté")
    assert encoding(text) == "GSM-7" and text == 'Vous etes pret(e) : " réunion " à l\'accueil... c\'est noté'


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("abcé €[]êçœ«»…😀\n"), max_size=600),
       link=st.sampled_from(["", "https://x.fr/e/", LONG_LINK]))
def test_fit_sms_always_fits_two_parts_and_keeps_the_link(text, link):
    sms = fit_sms(text, link, head="Plateforme régionale de mobilité internationale : ")
    assert segments(sms) <= 2
    assert sms.endswith(gsm_text(link)) and sms.startswith("Plateforme régionale")


@pytest.fixture
def long_names(settings):
    settings.IPM_PLATFORM_NAME = "Plateforme régionale de mobilité internationale des jeunes d'Auvergne-Rhône-Alpes"
    settings.IPM_BASE_URL = "https://mobilite-internationale.auvergne-rhone-alpes.exemple.fr"


# The SMS texts of the code (followup/step_messages.py, followup/notifications.py, followup/reminders.py),
# with the longest values they take.
LONG_ORIENTATION = "accompagnement renforcé vers l'emploi avec la mission locale et un chantier d'insertion"
STEP_TEXTS = [
    "le diagnostic est fait : vous êtes prêt(e) à partir ! Prochaine étape : votre projet.",
    f"le diagnostic est fait : nous vous proposons d'abord une étape ({LONG_ORIENTATION}). Ce n'est pas un refus.",
    "la pièce « Attestation d'hébergement ou de domiciliation de moins de trois mois » est à renvoyer "
    "(le document est illisible, coupé en bas de page et ne porte ni date ni signature). Renvoyez-la depuis votre espace :",
    "dossier complet ! Toutes vos pièces sont vérifiées ; prochaine étape, la commission.",
    "la commission a ajourné sa décision ; votre dossier sera revu. Ce qu'il manque est dans votre espace :",
    "félicitations, la commission a accepté votre projet ! Prochaine étape : le contrat, dans votre espace :",
    f"la commission ne retient pas votre projet pour le moment et vous propose une autre voie ({LONG_ORIENTATION}). "
    "Un refus n'est jamais définitif.",
    "votre contrat d'engagement (version 12) est prêt : lisez-le et acceptez-le dans votre espace :",
    "vous êtes invité(e) : Préparation au départ — Volontariat européen et chantiers internationaux, le 24/12/2026 à 14:30",
    "la réunion « Préparation au départ — Volontariat européen et chantiers internationaux » le 24/12/2026 à 14:30 "
    "est annulée. Une autre date vous sera proposée.",
    "nouvel horaire pour « Préparation au départ — Volontariat européen et chantiers internationaux » : le 24/12/2026 "
    "à 14:30 (Maison des associations, salle polyvalente du deuxième étage, 12 boulevard de la République).",
    "où en êtes-vous, 6 mois après votre retour ? Répondez en deux minutes :",
    "votre départ approche (le 24/12/2026). Vérifiez ce qu'il vous reste à faire :",
]


@pytest.mark.parametrize("text", STEP_TEXTS)
def test_every_step_sms_fits_two_parts(long_names, text):
    sms = sms_text(text, LONG_LINK)
    assert segments(sms) <= 2 and sms.endswith(LONG_LINK)


@pytest.mark.django_db
def test_the_sms_the_outbox_records_fit_two_parts(long_names, users, structure):
    """Through the code that records them: a step (tell_youth), a reminder, the sign-in link, a survey."""
    youth = YouthFactory(first_name="Marie-Clémentine", last_name="de La Tour-Saint-Christophe", email="",
                         phone="06 13 75 70 51", sms_consent_at=timezone.now())
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=structure, youth=youth)
    tell_youth(MessageKind.DIAGNOSTIC, "event:1", "", dossier, template="diagnostic", subject="Diagnostic",
               context={"ready": False, "orientation": LONG_ORIENTATION}, sms=STEP_TEXTS[1], link=LONG_LINK, copy=False)
    reminders._to_youth(MessageKind.EUROPASS, "stay:1", "2026-S48", youth, dossier, "Europass", "europass",
                        {"when": "avant votre retour"}, "pensez à compléter votre Europass Mobilité avec votre tuteur avant la fin de votre séjour, "
                        "et à nous envoyer vos photos et votre attestation de fin de stage :")
    assert send_link(youth) == Channel.SMS
    bodies = list(SentMessage.objects.filter(channel=Channel.SMS).values_list("body", flat=True))
    assert len(bodies) == 3
    for body in bodies:
        assert segments(body) <= 2, body


def test_the_survey_sms_fits_two_parts(long_names):
    class Survey:  # what _texts reads of a survey
        pk, horizon = 987654, "36"
        dossier = type("D", (), {"youth": type("Y", (), {"first_name": "Marie-Clémentine"})()})()

        def get_space_url(self):
            return "/espace/enquetes/987654/repondre/"

    for horizon in ("retour", "12", "36"):
        survey = Survey()
        survey.horizon = horizon
        for period in ("", "2026-12-15"):
            *_, sms = _texts(survey, period)
            assert segments(sms) <= 2 and sms.endswith("/espace/enquetes/987654/repondre/"), sms
