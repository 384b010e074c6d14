"""What the dossiers app tells the apps above it (it imports none of them): the follow-up's outbox turns
these into emails (``followup.notifications``). Each is sent inside the transaction that wrote the
change, after the writes, so that what a receiver records commits or rolls back with it."""
from django.dispatch import Signal

# The commission decided on a dossier: sender=CommissionReview, review=the decided CommissionReview.
decision_recorded = Signal()

# A dossier changed state (``transitions.apply_transition``): sender=Dossier, dossier=…, source=…, target=…,
# user=…. The referrals app withdraws the invitations that no longer make sense.
state_changed = Signal()

# Staff validated, refused or reset a piece (``services.review_document``): sender=Document, document=…,
# previous_status=the status before. The outbox tells the young person of a refusal (with the reason) and
# of the file complete.
document_reviewed = Signal()

# The diagnostic's conclusion moved the dossier (``services.save_diagnostic``: ready → « diagnostic fait »,
# not yet → « orienté »): sender=Diagnostic, diagnostic=…, event=the DossierEvent of the move. The outbox tells
# the young person the outcome.
diagnostic_recorded = Signal()
