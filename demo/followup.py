"""Demo data of the follow-up, added on top of ``seed_demo`` (idempotent): the calls that have fallen due
for the returned young people, and one young person flagged unreachable after three attempts."""
from django.utils import timezone

from followup import calls
from followup.models import FollowUpCall, max_attempts


def seed_followup(rng):
    calls.create_due_calls(timezone.localdate())
    if FollowUpCall.objects.filter(done_at__isnull=True, attempts__gte=max_attempts()).exists():
        return
    call = FollowUpCall.objects.filter(done_at__isnull=True, assigned_to__isnull=False).order_by("-due_date").first()
    if call is None:
        return
    for note in ("Messagerie, message laissé (démonstration).", "Pas de réponse (démonstration).",
                 "Numéro injoignable (démonstration).")[:max_attempts()]:
        call, _ = calls.record_call(call, call.assigned_to, reached=False, notes=note)
