"""A fiche de liaison sent by a structure's information system: the JSON body goes through the very form
the counsellor fills (``referrals.forms.ReferralForm``, sending mode), then through the same sending
(``referrals.services.submit_referral``: one open dossier per young person, a fiche for a young person
who has one is attached to it). An idempotency key makes a retry give the first answer."""
import hashlib
import json

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import translation

from ipm.enums import Role
from referrals.enums import ReferralStatus
from referrals.forms import ReferralForm
from referrals.models import Referral
from referrals.services import ATTACHED, submit_referral

from .models import ApiFiche

FIELDS = list(ReferralForm.Meta.fields)
COUNSELLOR_FIELD = "counsellor_email"
# The young person's identifier in the structure's own system (``Referral.external_id``).
EXTERNAL_FIELD = "external_id"
EXTERNAL_MAX_LENGTH = 64
ACCEPTED = set(FIELDS) | {COUNSELLOR_FIELD, EXTERNAL_FIELD}
KEY_FIELD = "Idempotency-Key"
MAX_KEY_LENGTH = 255
NOTICES = {
    ATTACHED: "Ce jeune a déjà un dossier en cours : la fiche y a été rattachée, aucun nouveau dossier n'a été ouvert.",
    "returning": "Ce jeune était déjà connu de la plateforme : son nouveau dossier est rattaché à son historique.",
    "new": "",
}


class Refused(Exception):
    """A body or a header the API refuses: ``errors`` is ``{field: [French messages]}``."""

    def __init__(self, errors, status=400):
        super().__init__(errors)
        self.errors, self.status = errors, status


def parse_body(raw):
    """The JSON object of the request's body, or ``Refused``."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused({"__all__": ["Le contenu n'est pas du JSON valide (encodé en UTF-8)."]}) from None
    if not isinstance(data, dict):
        raise Refused({"__all__": ["Le contenu doit être un objet JSON : {\"last_name\": …, …}."]})
    return data


def form_data(data):
    """The JSON object as the form's data (strings, booleans), with the messages of values of a wrong type."""
    errors, values = {}, {}
    for name, value in data.items():
        if name not in ACCEPTED:
            errors.setdefault(str(name)[:100], []).append("Champ inconnu : voir la liste des champs de l'API.")
        elif value is None:
            continue
        elif isinstance(value, bool):
            values[name] = value if name == "consent" else ("true" if value else "false")
        elif isinstance(value, (str, int, float)):
            values[name] = str(value)
        else:
            errors[name] = ["Valeur attendue : un texte, un nombre ou un booléen."]
    return values, errors


def idempotency_key(headers):
    key = headers.get(KEY_FIELD, "")
    if key and (len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable()):
        raise Refused({KEY_FIELD: [f"La clé d'idempotence doit être un texte ASCII de {MAX_KEY_LENGTH} caractères "
                                   "au plus (un UUID par exemple)."]})
    return key


def fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def clean_external_id(value):
    """The structure's identifier of the young person, stripped: at most 64 printable characters (no
    control character, no NUL), or ``Refused``."""
    value = str(value).strip()
    if len(value) > EXTERNAL_MAX_LENGTH or not value.isprintable():
        raise Refused({EXTERNAL_FIELD: [f"L'identifiant du jeune dans votre système doit être un texte de "
                                        f"{EXTERNAL_MAX_LENGTH} caractères au plus, sans caractère de contrôle."]})
    return value


def counsellor_of(token, values):
    email = values.pop(COUNSELLOR_FIELD, "").strip()
    if not email:
        return token.counsellor
    found = get_user_model().objects.filter(structure=token.structure, role=Role.COUNSELLOR, is_active=True,
                                            email__iexact=email[:254]).order_by("pk").first()
    if found is None:
        raise Refused({COUNSELLOR_FIELD: ["Aucun conseiller actif de votre structure n'a ce courriel."]})
    return found


def receive(token, raw_body, headers):
    """Create and send the fiche of ``raw_body`` for ``token``'s structure. Returns (status, payload, fiche):
    201 and the fiche (or the first answer again for a key already used), never an exception but
    ``Refused`` (400 with the form's French messages, 422 for a key used for another body)."""
    data = parse_body(raw_body)
    key = idempotency_key(headers)
    values, errors = form_data(data)
    with translation.override("fr"):
        counsellor = None
        try:
            counsellor = counsellor_of(token, values)
        except Refused as refused:
            errors.update(refused.errors)
        external_id = ""
        try:
            external_id = clean_external_id(values.pop(EXTERNAL_FIELD, ""))
        except Refused as refused:
            errors.update(refused.errors)
        form = ReferralForm(values, submitting=True)
        if not form.is_valid():
            for name, messages in form.errors.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise Refused(errors)
    body_hash = fingerprint(data)
    with transaction.atomic():
        record = None
        if key:
            try:
                with transaction.atomic():
                    record = ApiFiche.objects.create(structure=token.structure, token=token, idempotency_key=key,
                                                     body_hash=body_hash)
            except IntegrityError:  # on PostgreSQL, after the first sending with this key has committed
                return replay(token, key, body_hash)
        referral = form.save(commit=False)
        referral.structure, referral.counsellor = token.structure, counsellor
        referral.external_id = external_id
        referral.save()
        dossier, outcome = submit_referral(referral, counsellor)
        if record is None:
            record = ApiFiche(structure=token.structure, token=token, body_hash=body_hash)
        record.referral, record.outcome = referral, outcome
        record.save()
    referral.refresh_from_db()
    return 201, created_payload(referral, outcome, form.warnings), referral


def replay(token, key, body_hash):
    record = ApiFiche.objects.select_related("referral__dossier").get(structure=token.structure, idempotency_key=key)
    if record.body_hash != body_hash or record.referral is None:
        raise Refused({KEY_FIELD: ["Cette clé d'idempotence a déjà servi pour une autre fiche : "
                                   "chaque nouvelle fiche demande une nouvelle clé."]}, status=422)
    return 201, created_payload(record.referral, record.outcome, []), record.referral


def fiche_payload(referral):
    """What the structure may read of one of its fiches: what its counsellor sees in « Mes jeunes »."""
    dossier = referral.dossier
    return {
        "id": referral.pk,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "last_name": referral.last_name,
        "first_name": referral.first_name,
        "birth_date": referral.birth_date.isoformat() if referral.birth_date else None,
        "created_at": referral.created_at.isoformat(),
        "submitted_at": referral.submitted_at.isoformat() if referral.submitted_at else None,
        "counsellor_email": referral.counsellor.email,
        "external_id": referral.external_id,
        "dossier": None if dossier is None else {
            "id": dossier.pk, "step": dossier.state, "step_label": dossier.state_label,
        },
    }


def created_payload(referral, outcome, warnings):
    payload = fiche_payload(referral)
    payload.update(outcome=outcome, notice=NOTICES.get(outcome, ""), warnings=list(warnings))
    return payload


def fiches_of(structure, external_id=None):
    """The structure's fiches sent to the platform (drafts stay the counsellor's), newest first; with
    ``external_id``, those of that young person of the structure's system."""
    fiches = Referral.objects.filter(structure=structure).exclude(status=ReferralStatus.DRAFT)
    if external_id is not None:
        fiches = fiches.filter(external_id=external_id)
    return fiches.select_related("dossier", "counsellor").order_by("-created_at", "-pk")
