"""The young person's own copy of their data, downloaded from their space (RGPD, article 15): the same
export as staff's (``privacy.rgpd.subject_access``), without what only the team reads — the notes staff
write about the person, and the sensitive diagnostic items kept apart.

Left out (each section then says so):
- « Éléments sensibles du diagnostic » (health, diet, allergies, vaccinations, criminal record): read only
  by mobility counsellors, each read logged; a copy is asked from the platform, which exports it.
- The team's notes: the comment of each step (``DossierEvent.comment``), the attendance comment of a
  meeting (``Invitation.comment``), the commission's evaluation grid and its comments and the reason for
  listing an incomplete file (``CommissionReview.override_reason``), the notes of the follow-up calls
  (``FollowUpCall.notes``), of the site visits (``SiteVisit.notes``) and of the return review
  (``Stay.review_notes``).
Everything else is there: identity, dossiers, fiches, diagnostic, project, pieces, meetings, decisions
and their motivation, contract, co-payment, stay, follow-up situations, messages, the space's own rows.
"""
from . import rgpd

STAFF_ONLY_FIELDS = {
    "timeline": {"comment"},
    "meetings": {"comment"},
    "commission": {"override_reason", "scores"},
    "calls": {"notes"},
    "visits": {"notes"},
    "stays": {"review_notes"},
}
TEAM_NOTES = "Les notes internes de l'équipe ne figurent pas dans cette copie."
SENSITIVE_NOTE = ("Vos informations de santé et de casier judiciaire sont gardées à part et lues seulement par les "
                  "conseillers mobilité : pour en recevoir une copie, demandez-la à la plateforme.")


def own_sections(youth, user):
    """The sections of ``rgpd.subject_access`` the young person receives."""
    sections = []
    for section in rgpd.subject_access(youth, user):
        if section.key == "sensitive":
            section.records, section.note = [], SENSITIVE_NOTE
        elif section.key in STAFF_ONLY_FIELDS:
            hidden = STAFF_ONLY_FIELDS[section.key]
            section.records = [[row for row in rec if row[0] not in hidden] for rec in section.records]
            section.note = " ".join(filter(None, [section.note, TEAM_NOTES]))
        sections.append(section)
    return sections


def export(youth, user, fmt):
    """The young person's copy as JSON or PDF bytes."""
    sections = own_sections(youth, user)
    if fmt == "json":
        return rgpd.export_json(youth, user, sections=sections)
    return rgpd.export_pdf(youth, user, sections=sections)
