from django.db import models


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", "Conseiller mission locale"
    RECEPTION = "reception", "Accueil plateforme"
    MOBILITY = "mobility", "Conseiller mobilité plateforme"
    ASSISTANT = "assistant", "Assistant administratif plateforme"
    MANAGER = "manager", "Responsable"
    ADMIN = "admin", "Administrateur"
    # A young person signed in to their own space (by a link, no password): not a platform role.
    YOUTH = "youth", "Jeune"


# Platform staff run the wheel; administrators may do everything staff may do.
PLATFORM_ROLES = frozenset({Role.RECEPTION, Role.MOBILITY, Role.ASSISTANT, Role.ADMIN})
# Only these see the sensitive diagnostic items (health, allergies, vaccinations, criminal record).
MOBILITY_ROLES = frozenset({Role.MOBILITY, Role.ADMIN})
# Roles that see every structure's young people (read-only for managers).
ALL_STRUCTURES_ROLES = PLATFORM_ROLES | {Role.MANAGER}
