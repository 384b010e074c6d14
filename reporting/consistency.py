"""The consistency checker: every dossier whose recorded history breaks a rule of the wheel.

The wheel's rules are enforced where the data is written (forms and services). This module reads what
is stored — typed through the screens, imported from the legacy file, or written before a rule existed —
and lists each break with the rule in French and the screen that repairs it. It only reads.

``check()`` returns one ``RuleResult`` per rule (key, French text, the screen that fixes it, the
dossiers breaking it with a short French detail). ``python manage.py check_dossiers`` prints it, a beat
task runs it nightly into the log, and ``/rapports/coherence/`` shows it to staff and managers. Each rule
is one or two queries, whatever the number of dossiers.
"""
from dataclasses import dataclass, field

from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from departures.models import Contract, Incident, SiteVisit, Stay
from dossiers.models import CommissionReview, Dossier, DossierEvent, Youth
from dossiers.workflow import ACTIVE_STATES, DEPARTED_STATES, State
from followup.enums import CallSource
from followup.models import FollowUpCall
from followup.rules import month_start
from ipm import dates
from referrals.meeting_enums import Attendance
from referrals.models import Invitation

# How many dossiers a rule lists on the page (the counts are always whole).
SHOWN_PER_RULE = 200


@dataclass
class Break:
    dossier_id: int
    detail: str


@dataclass
class RuleResult:
    key: str
    text: str
    screen: str  # URL name taking the dossier's pk (the screen that repairs it)
    breaks: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.breaks)


def _day(value):
    return value.strftime("%d/%m/%Y") if value else "—"


def _today():
    return timezone.localdate()


def _first_year_start():
    return dates.bounds(dates.PLANNED)[0]


def _horizon():
    return dates.bounds(dates.PLANNED)[1]


def _in(dossiers, lookup="dossier_id"):
    """Restrict a query to the dossiers checked (None: all)."""
    return Q() if dossiers is None else Q(**{f"{lookup}__in": dossiers})


# --- The rules --------------------------------------------------------------------------------------

def attendance_before_meeting(dossiers=None):
    rows = (Invitation.objects.filter(_in(dossiers), status=Attendance.PRESENT, attendance_at__isnull=False)
            .annotate(recorded=TruncDate("attendance_at")).filter(recorded__lt=F("meeting__date"))
            .values_list("dossier_id", "meeting__date", "recorded"))
    return [Break(d, f"présent à la réunion du {_day(m)}, saisi le {_day(r)}, avant la réunion") for d, m, r in rows]


def decision_before_session(dossiers=None):
    rows = (CommissionReview.objects.filter(_in(dossiers), decided_at__isnull=False)
            .annotate(decided=TruncDate("decided_at")).filter(decided__lt=F("session__date"))
            .values_list("dossier_id", "session__date", "decided"))
    return [Break(d, f"décision saisie le {_day(r)} pour la commission du {_day(s)}") for d, s, r in rows]


def _accepted_on():
    return Subquery(
        DossierEvent.objects.filter(dossier=OuterRef("dossier"), to_state=State.ACCEPTED)
        .order_by("created_at").annotate(day=TruncDate("created_at")).values("day")[:1],
        output_field=DateField(),
    )


def signature_before_acceptance(dossiers=None):
    rows = (Contract.objects.filter(_in(dossiers), signed_on__isnull=False).annotate(accepted=_accepted_on())
            .filter(accepted__isnull=False, signed_on__lt=F("accepted"))
            .values_list("dossier_id", "signed_on", "accepted"))
    return [Break(d, f"contrat signé le {_day(s)}, avant l'acceptation du {_day(a)}") for d, s, a in rows]


def departure_before_signature(dossiers=None):
    signed = Subquery(
        Contract.objects.filter(dossier=OuterRef("dossier"), signed_on__isnull=False)
        .order_by("signed_on").values("signed_on")[:1], output_field=DateField(),
    )
    rows = (Stay.objects.filter(_in(dossiers), departure_date__isnull=False).annotate(signed=signed)
            .filter(signed__isnull=False, departure_date__lt=F("signed"))
            .values_list("dossier_id", "departure_date", "signed"))
    return [Break(d, f"départ le {_day(p)}, avant la signature du contrat le {_day(s)}") for d, p, s in rows]


def return_before_departure(dossiers=None):
    rows = (Stay.objects.filter(_in(dossiers), departure_date__isnull=False, return_date__lt=F("departure_date"))
            .values_list("dossier_id", "departure_date", "return_date"))
    return [Break(d, f"retour le {_day(r)}, avant le départ du {_day(p)}") for d, p, r in rows]


def _outside_stay(model, date_field, label, dossiers):
    today = _today()
    rows = (model.objects.filter(_in(dossiers, "stay__dossier_id"))
            .filter(Q(stay__departure_date__isnull=True) | Q(**{f"{date_field}__lt": F("stay__departure_date")})
                    | Q(stay__return_date__isnull=False, **{f"{date_field}__gt": F("stay__return_date")})
                    | Q(stay__return_date__isnull=True, **{f"{date_field}__gt": today}))
            .values_list("stay__dossier_id", date_field, "stay__departure_date", "stay__return_date"))
    return [Break(d, f"{label} le {_day(v)}, hors du séjour ({_day(p)} → {_day(r) if r else 'en cours'})")
            for d, v, p, r in rows]


def visit_outside_stay(dossiers=None):
    return _outside_stay(SiteVisit, "visit_date", "visite", dossiers)


def incident_outside_stay(dossiers=None):
    return _outside_stay(Incident, "occurred_on", "incident", dossiers)


def call_before_its_month(dossiers=None):
    """A follow-up contact recorded before the return, or before its own month began (month m starts m−1
    months after the return). Only calls done before their due date can break it: the database narrows
    to those, Python does the calendar arithmetic."""
    rows = (FollowUpCall.objects.filter(_in(dossiers), done_at__isnull=False)
            .exclude(source=CallSource.CLOSING)
            .annotate(done=TruncDate("done_at")).filter(done__lt=F("due_date"))
            .values_list("dossier_id", "month", "done", "dossier__stay__return_date"))
    found = []
    for dossier_id, month, done, returned in rows:
        if returned is None or done < returned:
            found.append(Break(dossier_id, f"contact du mois {month} saisi le {_day(done)}, avant le retour"))
        elif done < month_start(returned, month):
            found.append(Break(dossier_id, f"contact du mois {month} saisi le {_day(done)}, avant son mois "
                                           f"(à partir du {_day(month_start(returned, month))})"))
    return found


def events_in_the_future(dossiers=None):
    today = _today()
    found = []
    for dossier_id, departed, returned in (Stay.objects.filter(_in(dossiers))
                                           .filter(Q(departure_date__gt=today) | Q(return_date__gt=today))
                                           .values_list("dossier_id", "departure_date", "return_date")):
        if departed and departed > today:
            found.append(Break(dossier_id, f"départ enregistré au {_day(departed)}, date à venir"))
        if returned and returned > today:
            found.append(Break(dossier_id, f"retour enregistré au {_day(returned)}, date à venir"))
    for dossier_id, signed in Contract.objects.filter(_in(dossiers), signed_on__gt=today).values_list(
            "dossier_id", "signed_on"):
        found.append(Break(dossier_id, f"contrat signé le {_day(signed)}, date à venir"))
    for dossier_id, day in (Invitation.objects.filter(_in(dossiers), status=Attendance.PRESENT,
                                                      meeting__date__gt=today)
                            .values_list("dossier_id", "meeting__date")):
        found.append(Break(dossier_id, f"présent à une réunion du {_day(day)}, date à venir"))
    for dossier_id, day in (CommissionReview.objects.filter(_in(dossiers), decided_at__isnull=False,
                                                            session__date__gt=today)
                            .values_list("dossier_id", "session__date")):
        found.append(Break(dossier_id, f"décision d'une commission du {_day(day)}, date à venir"))
    return found


def dates_out_of_range(dossiers=None):
    first, horizon = _first_year_start(), _horizon()
    earliest_birth, today = dates.bounds(dates.BIRTH)
    found = []
    youths = Youth.objects.filter(Q(birth_date__lt=earliest_birth) | Q(birth_date__gt=today))
    for dossier_id, born in (Dossier.objects.filter(_in(dossiers, "pk"), youth__in=youths)
                             .values_list("pk", "youth__birth_date")):
        found.append(Break(dossier_id, f"date de naissance {_day(born)} impossible"))
    for dossier_id, day in (CommissionReview.objects.filter(_in(dossiers))
                            .filter(Q(session__date__lt=first) | Q(session__date__gt=horizon))
                            .values_list("dossier_id", "session__date")):
        found.append(Break(dossier_id, f"commission datée du {_day(day)}, hors des dates possibles"))
    for dossier_id, start, end in (Stay.objects.filter(_in(dossiers))
                                   .filter(Q(planned_start__lt=first) | Q(planned_start__gt=horizon)
                                           | Q(planned_end__lt=first) | Q(planned_end__gt=horizon)
                                           | Q(departure_date__lt=first) | Q(return_date__lt=first))
                                   .values_list("dossier_id", "planned_start", "planned_end")):
        found.append(Break(dossier_id, f"dates du séjour hors des dates possibles ({_day(start)} → {_day(end)})"))
    return found


def early_return_not_interrupted(dossiers=None):
    """Back earlier than planned by more than the scheme's tolerance, yet recorded as a normal return.
    The tolerance is never negative: the database narrows to the returns before the planned end, Python
    compares with each scheme's tolerance."""
    rows = (Stay.objects.filter(_in(dossiers), return_date__isnull=False, planned_end__isnull=False,
                                interrupted=False, return_date__lt=F("planned_end"))
            .values_list("dossier_id", "return_date", "planned_end", "scheme__early_return_tolerance_days"))
    return [Break(d, f"retour le {_day(r)}, {(p - r).days} jours avant la fin prévue ({_day(p)}) : "
                     "c'est un séjour interrompu")
            for d, r, p, tolerance in rows if (p - r).days > (tolerance if tolerance is not None else 7)]


def overdue_return(dossiers=None):
    """Abroad past the planned end with no return recorded: « retour à enregistrer »."""
    rows = (Stay.objects.filter(_in(dossiers), dossier__state=State.ABROAD, return_date__isnull=True,
                                planned_end__lt=_today())
            .values_list("dossier_id", "planned_end"))
    return [Break(d, f"fin prévue le {_day(p)}, aucun retour enregistré") for d, p in rows]


def departed_without_departure(dossiers=None):
    rows = (Dossier.objects.filter(_in(dossiers, "pk"), state__in=DEPARTED_STATES)
            .filter(Q(stay__isnull=True) | Q(stay__departure_date__isnull=True)).values_list("pk", "state"))
    return [Break(d, f"« {State(s).label} » sans date de départ") for d, s in rows]


def several_open_dossiers(dossiers=None):
    """One open dossier per young person: every open dossier of a young person who has more than one.
    Each open dossier checked looks up its young person's others (an index probe): a structure's
    dossiers are checked without grouping the whole platform's."""
    other_open = (Dossier.objects.filter(youth=OuterRef("youth"), state__in=ACTIVE_STATES)
                  .exclude(pk=OuterRef("pk")))
    rows = (Dossier.objects.filter(_in(dossiers, "pk"), Exists(other_open), state__in=ACTIVE_STATES)
            .order_by("youth", "pk").values_list("pk", "youth_id"))
    return [Break(d, f"le même jeune a un autre dossier ouvert (jeune n° {y})") for d, y in rows]


def contact_never_attempted(dossiers=None):
    """A month closed as « non joint » although nobody ever tried: the closing marked a call that had no
    attempt. A month counts as a contact only if a call or an answer was recorded."""
    rows = (FollowUpCall.objects.filter(_in(dossiers), source=CallSource.CLOSING, reached=False, attempts=0)
            .values_list("dossier_id", "month"))
    return [Break(d, f"mois {m} marqué comme un contact sans appel ni réponse") for d, m in rows]


RULES = [
    ("attendance_before_meeting", "Présence saisie avant la date de la réunion", "dossiers:detail",
     attendance_before_meeting),
    ("decision_before_session", "Décision de commission antérieure à la séance", "dossiers:detail",
     decision_before_session),
    ("signature_before_acceptance", "Contrat signé avant l'acceptation", "departures:contract_sign",
     signature_before_acceptance),
    ("departure_before_signature", "Départ avant la signature du contrat", "departures:stay_edit",
     departure_before_signature),
    ("return_before_departure", "Retour avant le départ", "departures:stay_edit", return_before_departure),
    ("visit_outside_stay", "Visite in situ hors du séjour", "departures:stay_edit", visit_outside_stay),
    ("incident_outside_stay", "Incident hors du séjour", "departures:stay_edit", incident_outside_stay),
    ("call_before_its_month", "Contact de suivi avant le retour ou avant son mois", "dossiers:detail",
     call_before_its_month),
    ("events_in_the_future", "Événement passé daté dans le futur", "dossiers:detail", events_in_the_future),
    ("dates_out_of_range", "Date hors des dates possibles", "dossiers:detail", dates_out_of_range),
    ("early_return_not_interrupted", "Retour anticipé enregistré comme un retour normal", "departures:stay_edit",
     early_return_not_interrupted),
    ("overdue_return", "Séjour terminé sans retour enregistré (retour à enregistrer)", "departures:return",
     overdue_return),
    ("departed_without_departure", "Dossier parti sans date de départ", "departures:stay_edit",
     departed_without_departure),
    ("several_open_dossiers", "Plusieurs dossiers ouverts pour le même jeune", "dossiers:detail",
     several_open_dossiers),
    ("contact_never_attempted", "Mois de suivi compté sans appel ni réponse", "dossiers:detail",
     contact_never_attempted),
]


def check(dossiers=None):
    """Every rule's breaks, for all dossiers or for the ids (or queryset of ids) given."""
    results = []
    for key, text, screen, rule in RULES:
        breaks = sorted(rule(dossiers), key=lambda b: (b.dossier_id, b.detail))
        results.append(RuleResult(key=key, text=text, screen=screen, breaks=breaks))
    return results


def flagged_dossier_ids(dossiers=None):
    return {b.dossier_id for result in check(dossiers) for b in result.breaks}


def flagged_in_period(filters):
    """How many dossiers of a report's scope and period (``reporting.filters.ReportFilters``) break a rule
    of the wheel: a figure is never shown without its caveat (the report page, the API). The period is
    that of the fiches received."""
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    cohort = dossiers.filter(received_on__year__gte=years[0], received_on__year__lte=years[-1]).values("pk")
    return len(flagged_dossier_ids(cohort))
