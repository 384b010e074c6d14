"""Writing a checked import: the one sanctioned bulk writer of the application. It creates the
structures, schemes, young people, dossiers, their timelines (``DossierEvent``), stays and month-6
follow-up calls of a ``Plan``, in one transaction, with bulk inserts (a fixed number of queries
whatever the size of the file).

The timeline is written directly (bulk_create) rather than through ``transitions.apply_transition``: this
is the one documented exception to "only the workflow writes state" — history is being loaded, not
changed. Each imported timeline is a path of the workflow table (``path_to``), so it follows allowed
transitions only (tests check it).
"""
import datetime

from django.db import transaction
from django.utils import timezone

from departures.models import Scheme, Stay
from dossiers.models import Dossier, DossierEvent, Youth
from dossiers.workflow import State, path_to
from followup.enums import Situation
from followup.models import FollowUpCall
from ipm.dates import add_months
from ipm.text import fold
from referrals.models import Structure

from .. import cache as report_cache
from .check import DEPARTED, ImportRefused

COMMENT = "Import de l'historique (référence {reference})"

# Timelines written for each final status (after the creation event "fiche reçue"): the workflow's own
# paths. A departed dossier goes on from "contrat signé" to its stay, return and follow-up (``timeline``).
BEFORE_DEPARTURE = path_to(State.CONTRACT_SIGNED)
PATHS = {
    "en_cours": [],
    "abandon": path_to(State.DROPPED),
    "oriente": path_to(State.ORIENTED),
    "refuse": path_to(State.REFUSED),
}


def _at(day, minutes=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0))) + datetime.timedelta(minutes=minutes)


def timeline(row, today=None):
    """[(state, datetime)] of an imported dossier, from "fiche reçue" to its final state. Only allowed
    transitions of the workflow; steps before departure are dated on the fiche's date."""
    today = today or timezone.localdate()
    events = [(State.RECEIVED, _at(row.received_on))]
    if row.final_status not in DEPARTED:
        for minute, state in enumerate(PATHS[row.final_status], start=1):
            events.append((state, _at(row.received_on, minute)))
        return events
    for minute, state in enumerate(BEFORE_DEPARTURE, start=1):
        events.append((state, _at(row.received_on, minute)))
    events.append((State.ABROAD, _at(row.departure_date)))
    if row.return_date is None:
        return events
    interrupted = row.final_status == "interrompu"
    events.append((State.INTERRUPTED if interrupted else State.RETURNED, _at(row.return_date)))
    follow_up_over = add_months(row.return_date, 6) < today
    if row.situation_6:
        events.append((State.FOLLOW_UP, _at(row.return_date, 1)))
        events.append((State.CLOSED, _at(min(add_months(row.return_date, 6), today))))
    elif follow_up_over:
        if not interrupted:
            events.append((State.FOLLOW_UP, _at(row.return_date, 1)))
        events.append((State.CLOSED, _at(add_months(row.return_date, 6))))
    return events


def _youth_values(rows):
    """The young person's attributes from their rows: the most recent fiche's values first."""
    values = {}
    for row in sorted(rows, key=lambda r: r.received_on, reverse=True):
        for attribute, value in (("sex", row.sex), ("qualification_level", row.level),
                                 ("employment_status", row.employment_status), ("qpv", row.qpv), ("zrr", row.zrr),
                                 ("nationality", row.nationality)):
            if attribute not in values and value not in ("", None):
                values[attribute] = value
    return values


def run(plan, user=None, progress=None):
    """Write a checked plan in one transaction; returns the summary. Raises ImportRefused if the plan
    has errors."""
    if plan.errors:
        raise ImportRefused(plan.errors)
    today = timezone.localdate()
    with transaction.atomic():
        # The file read a second time (the check keeps no row); references imported since the check
        # (another import at the same time) are left alone too.
        rows = plan.rows
        plan.recount(rows)
        structures = {fold(s.name): s for s in Structure.objects.all()}
        new = [Structure(name=n) for n in dict.fromkeys(r.structure for r in rows) if fold(n) not in structures]
        new = list({fold(s.name): s for s in new}.values())
        for s in Structure.objects.bulk_create(new):
            structures[fold(s.name)] = s
        schemes = {fold(s.name): s for s in Scheme.objects.all()}
        new = [Scheme(name=n) for n in dict.fromkeys(r.scheme for r in rows if r.scheme) if fold(n) not in schemes]
        new = list({fold(s.name): s for s in new}.values())
        for s in Scheme.objects.bulk_create(new):
            schemes[fold(s.name)] = s

        by_key = {}
        for row in rows:
            by_key.setdefault(row.key, []).append(row)
        youths = {y.match_key: y for y in Youth.objects.select_for_update().filter(match_key__in=list(by_key))}
        to_update = []
        for key, y in youths.items():
            changed = False
            for attribute, value in _youth_values(by_key[key]).items():
                if getattr(y, attribute) in ("", None):
                    setattr(y, attribute, value)
                    changed = True
            if changed:
                to_update.append(y)
        if to_update:
            Youth.objects.bulk_update(to_update, ["sex", "qualification_level", "employment_status", "qpv", "zrr",
                                                 "nationality"])
        created = []
        for key, person_rows in by_key.items():
            if key in youths:
                continue
            first = min(person_rows, key=lambda r: r.received_on)
            y = Youth(last_name=first.last_name, first_name=first.first_name, birth_date=first.birth_date,
                      **{"nationality": "", **_youth_values(person_rows)})
            y.match_key = key
            y.search_name = f"{fold(y.last_name)} {fold(y.first_name)}"
            created.append(y)
        for y in Youth.objects.bulk_create(created, batch_size=500):
            youths[y.match_key] = y
        if progress:
            progress(len(rows) // 4, len(rows))

        dossiers = []
        timelines = []
        for row in rows:
            events = timeline(row, today)
            timelines.append(events)
            dossiers.append(Dossier(
                youth=youths[row.key], structure=structures[fold(row.structure)],
                scheme=schemes[fold(row.scheme)] if row.scheme else None,
                state=events[-1][0], state_changed_at=events[-1][1], received_on=row.received_on,
                imported=True, legacy_reference=row.reference, origin=row.origin,
            ))
        Dossier.objects.bulk_create(dossiers, batch_size=500)
        if progress:
            progress(len(rows) // 2, len(rows))

        events = []
        stays = []
        calls = []
        for row, dossier, steps in zip(rows, dossiers, timelines):
            comment = COMMENT.format(reference=row.reference)
            previous = ""
            for state, when in steps:
                events.append(DossierEvent(dossier=dossier, actor=user, from_state=previous, to_state=state,
                                           comment=comment, created_at=when))
                previous = state
            if row.final_status in DEPARTED:
                stays.append(Stay(
                    dossier=dossier, scheme=schemes[fold(row.scheme)], country=row.country, city=row.city,
                    planned_start=row.departure_date, planned_end=row.return_date,
                    departure_date=row.departure_date, return_date=row.return_date,
                    interrupted=row.final_status == "interrompu",
                ))
            if row.situation_6:
                due = add_months(row.return_date, 6)
                calls.append(FollowUpCall(
                    dossier=dossier, month=6, due_date=due, done_at=_at(min(due, today)),
                    reached=row.situation_6 != Situation.UNKNOWN, situation=row.situation_6, notes=comment,
                ))
        DossierEvent.objects.bulk_create(events, batch_size=1000)
        Stay.objects.bulk_create(stays, batch_size=500)
        FollowUpCall.objects.bulk_create(calls, batch_size=500)
        if progress:
            progress(len(rows), len(rows))
        # bulk_create sends no signal: the cached report files are retired here (now and at commit).
        report_cache.data_changed()
    return plan.summary()
