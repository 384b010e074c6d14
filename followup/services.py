"""Kept for the dossier page, which still closes a dossier through ``followup.services``: the follow-up
lives in ``followup.calls`` (calls, answer link, closing), ``followup.reminders`` (what is due to be
sent) and ``followup.outbox`` (every email and SMS)."""
from .calls import FollowUpError, close_followup

__all__ = ["FollowUpError", "close_followup"]
