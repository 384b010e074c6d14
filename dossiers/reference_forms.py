"""Forms of the reference data of the stages before departure that managers keep up to date: the pieces
asked for an application file (per scheme) and the commission's evaluation grid."""
from django import forms
from django.db.models import Max

from departures.models import Scheme

from .models import CommissionCriterion, CommissionScore, DocumentType

# The highest note a criterion may have (a grid marked out of 5, 10 or 20; never 0).
MAX_SCORE_LIMIT = 100


def duplicate_piece_message(scheme):
    where = f"pour le dispositif « {scheme} »" if scheme else "dans la liste par défaut (tous les dispositifs)"
    return f"Cette pièce est déjà demandée {where}. Choisissez un autre nom, ou modifiez la pièce existante."


def _name_taken(name, queryset):
    """``name`` is among the names of ``queryset`` whatever the case, accented letters included (compared
    in Python: SQLite's case-insensitive comparison knows only ASCII). A checklist or the grid holds a few
    dozen names."""
    wanted = name.strip().casefold()
    return any(other.strip().casefold() == wanted for other in queryset.values_list("name", flat=True))


DUPLICATE_CRITERION_MESSAGE = "Ce critère existe déjà dans la grille. Choisissez un autre nom, ou modifiez le critère existant."


class DocumentTypeForm(forms.ModelForm):
    """One piece of the checklist. Unique per (scheme, name) — with no scheme too (the database cannot
    check that one: NULLs are distinct), and whatever the case of the letters."""

    class Meta:
        model = DocumentType
        fields = ["scheme", "name", "description", "required", "order", "validity_months", "active"]
        labels = {
            "scheme": "Dispositif",
            "name": "Nom de la pièce",
            "description": "Précisions",
            "required": "Pièce obligatoire",
            "order": "Ordre d'affichage",
            "active": "Active (demandée dans les dossiers)",
        }
        help_texts = {
            "scheme": "Laisser « Tous les dispositifs » pour une pièce de la liste par défaut, demandée dans "
                      "chaque dossier ; choisir un dispositif pour une pièce demandée en plus à ses seuls dossiers.",
            "description": "Affichées sous le nom de la pièce dans le dossier (ex. : « de moins de trois mois »).",
            "required": "Un dossier n'est complet que lorsque toutes ses pièces obligatoires sont validées.",
            "order": "Les pièces sont présentées de la plus petite valeur à la plus grande.",
            "active": "Décochée : la pièce n'est plus demandée ; celles déjà déposées restent dans les dossiers.",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom de la pièce."},
            "order": {"invalid": "Saisissez un nombre entier (0 ou plus)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scheme = self.fields["scheme"]
        scheme.queryset = Scheme.objects.order_by("-active", "name")
        scheme.empty_label = "Tous les dispositifs (liste par défaut)"
        self.fields["order"].error_messages["min_value"] = "L'ordre ne peut pas être négatif."

    def clean(self):
        data = super().clean()
        name = data.get("name")
        if name and "scheme" not in self.errors:
            scheme = data.get("scheme")
            same = DocumentType.objects.filter(scheme=scheme) if scheme else DocumentType.objects.filter(scheme__isnull=True)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if _name_taken(name, same):
                self.add_error("name", duplicate_piece_message(scheme))
        return data


class CommissionCriterionForm(forms.ModelForm):
    """One criterion of the evaluation grid: a unique name, a note out of ``max_score`` (1 or more)."""

    max_score = forms.IntegerField(
        label="Note maximale", min_value=1, max_value=MAX_SCORE_LIMIT,
        help_text="Chaque dossier est noté de 0 à cette valeur sur ce critère.",
        error_messages={
            "required": "Indiquez la note maximale (1 ou plus).",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "La note maximale doit être d'au moins 1.",
            "max_value": f"La note maximale ne peut pas dépasser {MAX_SCORE_LIMIT}.",
        },
    )

    class Meta:
        model = CommissionCriterion
        fields = ["name", "description", "max_score", "order", "active"]
        labels = {
            "name": "Critère",
            "description": "Description",
            "order": "Ordre d'affichage",
            "active": "Actif (présent dans la grille des commissions)",
        }
        help_texts = {
            "description": "Ce que la commission évalue (affiché sous le nom du critère dans la grille).",
            "order": "Les critères sont présentés de la plus petite valeur à la plus grande.",
            "active": "Décoché : le critère n'apparaît plus dans la grille ; les notes déjà données sont conservées.",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom du critère.", "unique": DUPLICATE_CRITERION_MESSAGE},
            "order": {"invalid": "Saisissez un nombre entier (0 ou plus)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].error_messages["min_value"] = "L'ordre ne peut pas être négatif."

    def clean_name(self):
        name = self.cleaned_data["name"]
        same = CommissionCriterion.objects.all()
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if _name_taken(name, same):
            raise forms.ValidationError(DUPLICATE_CRITERION_MESSAGE, code="unique")
        return name

    def clean_max_score(self):
        """Lowering the maximum under a note already given would make past grids wrong."""
        max_score = self.cleaned_data["max_score"]
        if self.instance.pk:
            highest = CommissionScore.objects.filter(criterion=self.instance).aggregate(top=Max("score"))["top"]
            if highest is not None and max_score < highest:
                raise forms.ValidationError(
                    f"Une note de {highest} a déjà été donnée sur ce critère : la note maximale ne peut pas "
                    f"descendre en dessous de {highest}."
                )
        return max_score
