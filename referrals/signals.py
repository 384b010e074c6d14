"""What the referrals app tells the apps above it (it imports none of them): the follow-up's outbox
turns these into emails (``followup.notifications``). Each is sent inside the transaction that wrote
the change, after the writes, so that what a receiver records commits or rolls back with it."""
from django.dispatch import Signal

# A fiche was sent and its dossier opened (attached=False), or the fiche attached to the young person's
# dossier already open (attached=True): sender=Referral, referral=…, dossier=…, attached=….
referral_sent = Signal()

# Young people were invited to a meeting and are to be told: sender=Invitation, invitations=[Invitation, …].
invitations_sent = Signal()

# A meeting was cancelled or moved (date, time or place): sender=Meeting, meeting=…, invitations=[the pending
# Invitation, …, perhaps none], cancelled=True/False. The outbox tells each young person and their counsellor;
# the network tells the ambassadors invited to speak at it (``network.invitations.on_meeting_changed``).
meeting_changed = Signal()

# Pending invitations were withdrawn (by staff, or the dossier moved on to a stage they no longer fit):
# sender=Invitation, invitations=[Invitation, …], reason=French text. The outbox sends each the calendar's cancel.
invitations_withdrawn = Signal()
