"""The audit log: who created, changed or deleted what and when, who read the sensitive items and who
downloaded which file — and the page where managers and administrators search it (``/journal/``).

Sources:
- changes: django-simple-history (``history = HistoricalRecords()`` on the models listed in ``TRACKED``;
  ``HistoryRequestMiddleware`` records the user of the request; ``None`` = an automatic task);
- reads and downloads: ``dossiers.models.SensitiveAccess`` (reads/changes of the sensitive diagnostic
  items, and every file served by ``ipm.uploads.serve_file`` through ``record_download``);
- accounts' second factor: ``ipm.models.AccountEvent`` (an administrator's reset, backup codes
  regenerated or used).

The page shows who, when, what object (type, number, dossier) and the NAMES of the changed fields — never
their values: the log is searchable by people who may not see the sensitive items themselves.
"""
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, CharField, F, OuterRef, Subquery, Value
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ipm.access import capability_required
from ipm.forms import date_field
from ipm.lists import paginate

# The page opened from the menu shows this many days; the filters reach the whole log.
DEFAULT_DAYS = 30

# Fields whose change is noise in the log (timestamps set on every save, the optimistic-locking counter).
NOISE_FIELDS = {"updated_at", "modified_at", "version", "lock_version"}

SENSITIVE_ACCESS = "dossiers.sensitiveaccess"
# Every call to the API of the structures' systems (api.ApiCall: token, structure, address, status).
API_CALL = "api.apicall"
# The workflow changes a dossier's state by an UPDATE (under a row lock): its own timeline
# (``DossierEvent``: who, when, from which step to which) is the record of those changes.
DOSSIER_EVENT = "dossiers.dossierevent"
HISTORY_ACTIONS = ("+", "~", "-")
ACCOUNT_EVENT = "ipm.accountevent"

# History action codes (simple-history) and read-log actions → French labels.
ACTIONS = {
    "+": "Création",
    "~": "Modification",
    "-": "Suppression",
    "lecture": "Lecture des éléments sensibles",
    "modification": "Modification des éléments sensibles",
    "fichier": "Téléchargement d'un fichier",
    "etape": "Changement d'étape",
    "2fa_reinit": "Réinitialisation de la double authentification",
    "2fa_codes": "Nouveaux codes de secours",
    "2fa_secours": "Connexion avec un code de secours",
    "api": "Appel de l'API",
}
ACCOUNT_ACTIONS = ("2fa_reinit", "2fa_codes", "2fa_secours")


def _dossier_via(model_path, fk_field):
    """A subquery giving the dossier id of a related row (e.g. a payment's co-payment's dossier)."""
    from django.apps import apps

    model = apps.get_model(model_path)
    return Subquery(model.objects.filter(pk=OuterRef(fk_field)).values("dossier_id")[:1], output_field=BigIntegerField())


def tracked():
    """(key, model, how to reach the dossier id from a historical row) for every audited model."""
    from django.apps import apps

    def get(label):
        return apps.get_model(label)

    return [
        ("dossiers.youth", get("dossiers.Youth"), None),
        ("dossiers.dossier", get("dossiers.Dossier"), F("id")),
        ("referrals.referral", get("referrals.Referral"), F("dossier_id")),
        ("dossiers.diagnostic", get("dossiers.Diagnostic"), F("dossier_id")),
        ("dossiers.sensitivediagnostic", get("dossiers.SensitiveDiagnostic"),
         lambda: _dossier_via("dossiers.Diagnostic", "diagnostic_id")),
        ("dossiers.mobilityproject", get("dossiers.MobilityProject"), F("dossier_id")),
        ("dossiers.document", get("dossiers.Document"), F("dossier_id")),
        ("dossiers.commissionsession", get("dossiers.CommissionSession"), None),
        ("dossiers.commissionreview", get("dossiers.CommissionReview"), F("dossier_id")),
        ("followup.followupcall", get("followup.FollowUpCall"), F("dossier_id")),
        ("departures.stay", get("departures.Stay"), F("dossier_id")),
        ("departures.contract", get("departures.Contract"), F("dossier_id")),
        ("departures.copayment", get("departures.CoPayment"), F("dossier_id")),
        ("departures.payment", get("departures.Payment"), lambda: _dossier_via("departures.CoPayment", "copayment_id")),
        ("departures.sitevisit", get("departures.SiteVisit"), lambda: _dossier_via("departures.Stay", "stay_id")),
        ("departures.incident", get("departures.Incident"), lambda: _dossier_via("departures.Stay", "stay_id")),
        ("api.apitoken", get("api.ApiToken"), None),
    ]


def kind_choices():
    choices = [(key, model._meta.verbose_name.capitalize()) for key, model, _ in tracked()]
    choices.append((DOSSIER_EVENT, "Étapes des dossiers"))
    choices.append((SENSITIVE_ACCESS, "Lectures et téléchargements"))
    choices.append((ACCOUNT_EVENT, "Comptes (double authentification)"))
    choices.append((API_CALL, "Appels de l'API"))
    return choices


# --- Recording reads ----------------------------------------------------------------------------------

def record_download(sender=None, fieldfile=None, download_name="", **kwargs):
    """Log that the current request's user downloaded ``fieldfile`` (called by ``serve_file``). The file
    must belong to a row with a dossier (a piece, a contract, a stay); the kind of file is recorded, never
    its content."""
    from dossiers.models import SensitiveAccess

    from ipm.middleware import current_request

    request = current_request()
    user = getattr(request, "user", None)
    instance = getattr(fieldfile, "instance", None)
    dossier_id = getattr(instance, "dossier_id", None)
    if user is None or not user.is_authenticated or dossier_id is None:
        return None
    field = getattr(fieldfile, "field", None)
    what = str(instance._meta.verbose_name).capitalize()
    if field is not None:
        what += f" ({field.verbose_name})"
    document_type = getattr(instance, "document_type", None)
    if document_type is not None:
        what += f" : {document_type.name}"
    elif download_name:
        what += f" : {download_name}"
    return SensitiveAccess.objects.create(user=user, dossier_id=dossier_id, action=SensitiveAccess.DOWNLOAD,
                                          item=what[:255])


# --- Searching ----------------------------------------------------------------------------------------

class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label="Qui", queryset=None, required=False, empty_label="Tout le monde")
    kind = forms.ChoiceField(label="Quoi", required=False)
    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "Toutes")] + list(ACTIONS.items()))
    dossier = forms.IntegerField(label="Dossier n°", required=False, min_value=1)
    date_from = date_field("Du", required=False)
    date_to = date_field("Au", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.order_by("last_name", "first_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        self.fields["kind"].choices = [("", "Tout")] + kind_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "La date de fin doit être après la date de début.")
        return data


def _filter(qs, data, user_field, date_field_name, action_field, dossier_field):
    if data.get("user"):
        qs = qs.filter(**{user_field: data["user"]})
    if data.get("date_from"):
        qs = qs.filter(**{f"{date_field_name}__date__gte": data["date_from"]})
    if data.get("date_to"):
        qs = qs.filter(**{f"{date_field_name}__date__lte": data["date_to"]})
    if data.get("action"):
        qs = qs.filter(**{action_field: data["action"]})
    if data.get("dossier"):
        qs = qs.filter(**{dossier_field: data["dossier"]}) if dossier_field else qs.none()
    return qs


def entries(data=None):
    """One queryset (a UNION over every audited model and the read log) of dicts ``a_kind, a_id, a_date,
    a_action, a_user, a_object, a_dossier``, newest first, filtered by ``data`` (the form's cleaned data)."""
    from dossiers.models import DossierEvent, SensitiveAccess

    data = data or {}
    parts = []
    for key, model, dossier_expr in tracked():
        if data.get("kind") and data["kind"] != key:
            continue
        if data.get("action") and data["action"] not in HISTORY_ACTIONS:
            continue
        history = model.history.model
        if callable(dossier_expr):
            dossier_expr = dossier_expr()
        if dossier_expr is None:
            dossier_expr = Value(None, output_field=BigIntegerField())
        qs = history.objects.order_by().annotate(dossier_ref=dossier_expr)
        qs = _filter(qs, data, "history_user", "history_date", "history_type", "dossier_ref")
        parts.append(qs.values(
            a_kind=Value(key, output_field=CharField()), a_id=F("history_id"), a_date=F("history_date"),
            a_action=F("history_type"), a_user=F("history_user_id"), a_object=F("id"), a_dossier=F("dossier_ref"),
        ))
    if data.get("kind", DOSSIER_EVENT) in ("", DOSSIER_EVENT) and data.get("action", "etape") in ("", "etape"):
        qs = _filter(DossierEvent.objects.order_by(), {**data, "action": ""}, "actor", "created_at", "", "dossier_id")
        parts.append(qs.values(
            a_kind=Value(DOSSIER_EVENT, output_field=CharField()), a_id=F("id"), a_date=F("created_at"),
            a_action=Value("etape", output_field=CharField()), a_user=F("actor_id"), a_object=F("dossier_id"),
            a_dossier=F("dossier_id"),
        ))
    if not data.get("kind") or data["kind"] == SENSITIVE_ACCESS:
        if not data.get("action") or data["action"] not in HISTORY_ACTIONS + ("etape",) + ACCOUNT_ACTIONS:
            qs = _filter(SensitiveAccess.objects.order_by(), data, "user", "accessed_at", "action", "dossier_id")
            parts.append(qs.values(
                a_kind=Value(SENSITIVE_ACCESS, output_field=CharField()), a_id=F("id"), a_date=F("accessed_at"),
                a_action=F("action"), a_user=F("user_id"), a_object=F("dossier_id"), a_dossier=F("dossier_id"),
            ))
    if data.get("kind", ACCOUNT_EVENT) in ("", ACCOUNT_EVENT) and data.get("action", "") in ("",) + ACCOUNT_ACTIONS:
        from ipm.models import AccountEvent

        qs = _filter(AccountEvent.objects.order_by(), data, "actor", "at", "action", None)
        parts.append(qs.values(
            a_kind=Value(ACCOUNT_EVENT, output_field=CharField()), a_id=F("id"), a_date=F("at"), a_action=F("action"),
            a_user=F("actor_id"), a_object=F("account_id"), a_dossier=Value(None, output_field=BigIntegerField()),
        ))
    if data.get("kind", API_CALL) in ("", API_CALL) and data.get("action", "api") in ("", "api") \
            and not data.get("user"):
        from api.models import ApiCall

        qs = _filter(ApiCall.objects.order_by(), {**data, "action": ""}, "", "at", "", "")
        parts.append(qs.values(
            a_kind=Value(API_CALL, output_field=CharField()), a_id=F("id"), a_date=F("at"),
            a_action=Value("api", output_field=CharField()), a_user=Value(None, output_field=BigIntegerField()),
            a_object=F("referral_id"), a_dossier=Value(None, output_field=BigIntegerField()),
        ))
    if not parts:
        return SensitiveAccess.objects.none().values("id")
    first, *others = parts
    return (first.union(*others, all=True) if others else first).order_by("-a_date", "-a_id")


@dataclass
class Entry:
    date: object
    action: str
    user: object
    what: str
    dossier_id: int | None
    fields: list
    detail: str = ""

    @property
    def dossier_url(self):
        return reverse("dossiers:detail", args=[self.dossier_id]) if self.dossier_id else ""


def _changed_fields(record):
    """The verbose names of the fields this historical record changed (names only, never values)."""
    if record.history_type != "~":
        return []
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    labels = []
    model = record.instance_type
    for name in delta.changed_fields:
        if name in NOISE_FIELDS:
            continue
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # a field since removed from the model
            labels.append(name)
    return labels


def describe(rows):
    """Turn a page of raw rows into ``Entry`` objects (a handful of queries per page)."""
    from dossiers.models import DossierEvent, SensitiveAccess

    models = {key: model for key, model, _ in tracked()}
    users = get_user_model().objects.in_bulk({row["a_user"] for row in rows if row["a_user"]})
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row["a_kind"], []).append(row["a_id"])
    records = {}
    for kind, ids in by_kind.items():
        if kind == SENSITIVE_ACCESS:
            found = SensitiveAccess.objects.in_bulk(ids)
        elif kind == ACCOUNT_EVENT:
            from ipm.models import AccountEvent

            found = AccountEvent.objects.in_bulk(ids)
        elif kind == API_CALL:
            from api.models import ApiCall

            found = ApiCall.objects.select_related("structure").in_bulk(ids)
        elif kind == DOSSIER_EVENT:
            found = DossierEvent.objects.in_bulk(ids)
        else:
            found = models[kind].history.model.objects.in_bulk(ids)
        records.update({(kind, pk): record for pk, record in found.items()})
    result = []
    for row in rows:
        record = records.get((row["a_kind"], row["a_id"]))
        user = users.get(row["a_user"])
        if row["a_kind"] == SENSITIVE_ACCESS:
            what = f"Dossier n° {row['a_dossier']}"
            fields, detail = [], getattr(record, "item", "")
        elif row["a_kind"] == ACCOUNT_EVENT:
            what = f"Compte {getattr(record, 'account_username', row['a_object'])}"
            fields, detail = [], ""
        elif row["a_kind"] == API_CALL:
            what = f"API : {record.structure if record and record.structure else 'jeton absent ou invalide'}"
            fields, detail = [], (f"{record.method} {record.path} → {record.status}" if record else "")
        elif row["a_kind"] == DOSSIER_EVENT:
            what = f"Dossier n° {row['a_dossier']}"
            detail = ""
            if record is not None:
                origin = record.get_from_state_display() or "création"
                detail = f"{origin} → {record.get_to_state_display()}"
            fields = []
        else:
            model = models[row["a_kind"]]
            what = f"{str(model._meta.verbose_name).capitalize()} n° {row['a_object']}"
            fields, detail = (_changed_fields(record) if record else []), ""
        result.append(Entry(date=row["a_date"], action=ACTIONS.get(row["a_action"], row["a_action"]), user=user,
                            what=what, dossier_id=row["a_dossier"], fields=fields, detail=detail))
    return result


@capability_required("audit")
def journal(request):
    """Search the audit log: who, what object, when, which fields (never their values)."""
    params = request.GET.copy()
    params.pop("page", None)
    if not params:
        # Opened from the menu: the last DEFAULT_DAYS days (the whole log may hold millions of lines).
        params["date_from"] = (timezone.localdate() - timedelta(days=DEFAULT_DAYS)).isoformat()
    form = AuditFilterForm(params)
    data = form.cleaned_data if form.is_valid() else {}
    if not form.is_valid():
        from dossiers.models import SensitiveAccess

        queryset = SensitiveAccess.objects.none()  # nothing until the filters are corrected
    else:
        queryset = entries(data)
    context = paginate(request, queryset, per_page=50)
    context["entries"] = describe(list(context["object_list"]))
    context["form"] = form
    return render(request, "privacy/journal.html", context)
