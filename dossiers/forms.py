"""Forms of the stages before departure: diagnostic, mobility project, documents, commission."""
from django import forms
from django.utils import timezone

from departures.models import Scheme
from ipm import dates
from ipm.enums import PLATFORM_ROLES
from ipm.forms import NullBooleanRadio, add_exceptional_date_fields, date_field, exceptional_date
from ipm.models import User
from ipm.uploads import UploadField

from . import rules
from .enums import Decision, DiagnosticOutcome, DocumentStatus, Orientation
from .models import CommissionSession, Diagnostic, MobilityProject, SensitiveDiagnostic


class DiagnosticForm(forms.ModelForm):
    bank_card = NullBooleanRadio(label="Carte bancaire")
    mobility_experience = NullBooleanRadio(label="Expérience de mobilité antérieure (séjour, chantier, stage à l'étranger)")
    conducted_on = date_field("Date de l'entretien", initial=timezone.localdate)
    passport_valid_until = date_field("Valide jusqu'au", kind=dates.VALIDITY, required=False)
    come_back_on = date_field("Date de retour envisagée", required=False,
                              help_text="Quand le jeune pourra revenir vers la plateforme.")

    class Meta:
        model = Diagnostic
        fields = [
            "conducted_on", "passport", "passport_valid_until", "bank_card", "unemployment_rights", "housing",
            "health_cover", "languages", "language_level_self", "language_level_tested", "mobility_experience",
            "mobility_experience_details", "motivation", "professional_project", "outcome", "orientation",
            "orientation_details", "come_back_on",
        ]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 3}),
            "professional_project": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "languages": "Ex. : anglais, espagnol.",
            "outcome": "Laisser vide tant que le diagnostic n'est pas terminé.",
        }

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DiagnosticOutcome.NOT_YET and not data.get("orientation"):
            self.add_error("orientation", "Choisissez une orientation : le jeune n'est pas encore prêt à partir.")
        if data.get("outcome") == DiagnosticOutcome.READY:
            data["orientation"] = ""
            data["orientation_details"] = ""
            data["come_back_on"] = None
        return data


class SensitiveDiagnosticForm(forms.ModelForm):
    prefix = "sensible"

    class Meta:
        model = SensitiveDiagnostic
        fields = [
            "special_diet", "allergies", "vaccinations", "health_notes", "criminal_record", "criminal_record_details",
        ]
        widgets = {"health_notes": forms.Textarea(attrs={"rows": 2})}


class MobilityProjectForm(forms.ModelForm):
    period_start = date_field("Période prévue : du", required=False)
    period_end = date_field("Au", required=False)

    class Meta:
        model = MobilityProject
        fields = ["scheme", "country", "town", "sector", "duration_weeks", "period_start", "period_end"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.scheme_id if self.instance else None
        self.fields["scheme"].queryset = Scheme.objects.filter(active=True) | Scheme.objects.filter(pk=current)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "La fin de la période doit être après son début.")
        return data


class DocumentUploadForm(forms.Form):
    file = UploadField(label="Fichier", help_text="")


class DocumentReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="Décision",
        choices=[(DocumentStatus.VALIDATED, "Valider"), (DocumentStatus.REJECTED, "Refuser")],
    )
    reason = forms.CharField(label="Motif du refus", max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == DocumentStatus.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus, pour que le jeune puisse corriger sa pièce.")
        return data


class CommissionSessionForm(forms.ModelForm):
    date = date_field("Date")

    class Meta:
        model = CommissionSession
        fields = ["date", "time", "place", "members", "external_members", "status", "notes"]
        widgets = {
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "members": forms.CheckboxSelectMultiple,
            "external_members": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(is_active=True, role__in=PLATFORM_ROLES).order_by(
            "last_name", "first_name"
        )
        self.fields["members"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.get_role_display()})"


class AgendaAddForm(forms.Form):
    override_reason = forms.CharField(
        label="Motif (dossier incomplet)", max_length=255, required=False,
        help_text="Obligatoire seulement pour inscrire un dossier dont des pièces ne sont pas validées.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="Motivation de la décision", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    orientation = forms.ChoiceField(
        label="Orientation (en cas de refus)", choices=[("", "—")] + Orientation.choices, required=False
    )
    orientation_details = forms.CharField(label="Précisions sur l'orientation", max_length=255, required=False)
    postponed_to = forms.ModelChoiceField(
        label="Reporter à la commission du (en cas d'ajournement)", queryset=CommissionSession.objects.none(),
        required=False, empty_label="— à fixer plus tard —",
    )
    confirm_over_quota = forms.BooleanField(
        label="Accepter même si toutes les places financées de l'année sont utilisées (le dépassement est enregistré)",
        required=False,
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session is not None:
            self.fields["postponed_to"].queryset = CommissionSession.objects.filter(date__gt=session.date).order_by("date")
            if rules.decision_date_problem(session):
                add_exceptional_date_fields(self)  # a decision taken by correspondence, before the session
        self.fields["postponed_to"].label_from_instance = lambda s: f"{s.date:%d/%m/%Y}"

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.REFUSED and not data.get("orientation"):
            self.add_error("orientation", "Un refus demande une orientation : choisissez vers quoi orienter le jeune.")
        if data.get("decision") and self.session is not None and not self.decided():
            # Dates follow the wheel: no decision before the session, unless confirmed with its reason,
            # which goes with the comment into the dossier's timeline.
            reason = exceptional_date(self, "decision", rules.decision_date_problem(self.session))
            data["comment"] = dates.with_exceptional_note(data.get("comment") or "", reason)
        return data

    def decided(self):
        return False


def score_fields(criteria, review=None):
    """Extra fields of the evaluation grid, one score and one comment per criterion."""
    existing = {s.criterion_id: s for s in review.scores.all()} if review else {}
    fields = {}
    for criterion in criteria:
        current = existing.get(criterion.pk)
        fields[f"score_{criterion.pk}"] = forms.IntegerField(
            label=criterion.name, min_value=0, max_value=criterion.max_score, required=False,
            help_text=f"Sur {criterion.max_score}. {criterion.description}",
            initial=current.score if current else None,
        )
        fields[f"comment_{criterion.pk}"] = forms.CharField(
            label=f"Commentaire — {criterion.name}", max_length=255, required=False,
            initial=current.comment if current else "",
        )
    return fields


class ReviewForm(DecisionForm):
    """The evaluation grid and the decision of one dossier in commission."""

    decision = forms.ChoiceField(
        label="Décision", choices=[("", "Pas encore décidée")] + Decision.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, criteria=(), review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.criteria = list(criteria)
        for name, field in score_fields(self.criteria, review).items():
            self.fields[name] = field

    def decided(self):
        return bool(self.review and self.review.decision)

    def scores(self):
        return {
            c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"comment_{c.pk}", ""))
            for c in self.criteria
        }

    def score_rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

