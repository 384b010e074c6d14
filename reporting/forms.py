from django import forms
from django.conf import settings

from departures.enums import Funder
from departures.models import FundingAgreement, HostOrganisation, Scheme
from referrals.models import Structure

from .department_map import department_names, normalise
from .filters import ReportFilters, funder_choices
from .models import PopulationFigure


# The reports that offer the « Parrainés » filter.
SPONSORED_FILTER_REPORTS = ("funnel", "profile")


class ReportFilterForm(forms.Form):
    year_from = forms.IntegerField(label="Année (ou début)", min_value=1990, max_value=2100, required=False)
    year_to = forms.IntegerField(label="Jusqu'à l'année", min_value=1990, max_value=2100, required=False)
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=Scheme.objects.all(), required=False,
                                    empty_label="Tous les dispositifs")
    funder = forms.ChoiceField(label="Financeur", required=False)
    structure = forms.ModelChoiceField(label="Structure", queryset=Structure.objects.all(), required=False,
                                       empty_label="Toutes les structures")
    department = forms.ChoiceField(label="Département", required=False)
    # Only on the reports that read them: the host organisation (satisfaction), the horizon (outcomes).
    host = forms.ModelChoiceField(label="Structure d'accueil", queryset=HostOrganisation.objects.all(), required=False,
                                  empty_label="Toutes les structures d'accueil")
    horizon = forms.TypedChoiceField(label="Situation à", coerce=int, required=False, empty_value=6,
                                     choices=[(6, "6 mois"), (12, "12 mois"), (36, "36 mois")])
    # The funnel and the profile: candidates with a parrain or marraine, the others, or all.
    sponsored = forms.ChoiceField(label="Parrainés", required=False,
                                  choices=[("", "Tous"), ("oui", "Oui"), ("non", "Non")])

    def __init__(self, *args, user=None, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if report != "satisfaction":
            del self.fields["host"]
        if report != "outcomes":
            del self.fields["horizon"]
        if report not in SPONSORED_FILTER_REPORTS:
            del self.fields["sponsored"]
        funders = funder_choices()
        if funders:
            self.fields["funder"].choices = [("", "Tous les financeurs"), *funders]
        else:
            del self.fields["funder"]
        departments = (
            Structure.objects.exclude(department="").order_by("department").values_list("department", flat=True).distinct()
        )
        self.fields["department"].choices = [("", "Tous")] + [(d, d) for d in departments]
        if user is not None and ReportFilters(user=user).restricted_structure is not None:
            # A counsellor's reports are always those of their own structure.
            del self.fields["structure"]
            del self.fields["department"]

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_to is not None and year_from is None:
            self.add_error("year_from", "Indiquez aussi l'année de début.")
        if year_from is not None and year_to is not None and year_to < year_from:
            self.add_error("year_to", "L'année de fin doit suivre l'année de début.")
        return data

    def filters(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year_from = data.get("year_from")
        year_to = data.get("year_to") or year_from
        return ReportFilters(
            year_from=year_from, year_to=year_to, scheme=data.get("scheme"), funder=data.get("funder") or "",
            structure=data.get("structure"), department=(data.get("department") or "").strip(), user=self.user,
            host=data.get("host"), horizon=data.get("horizon") or 6, sponsored=data.get("sponsored") or "",
        )


class ErasmusExportForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label="Convention Erasmus+", empty_label="Choisissez une convention",
        queryset=FundingAgreement.objects.filter(funder=Funder.ERASMUS).exclude(grant_agreement_number="")
        .select_related("scheme").order_by("-year", "grant_agreement_number"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].label_from_instance = (
            lambda a: f"{a.grant_agreement_number} — {a.scheme} {a.year}"
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Fichier de l'historique (CSV ou XLSX)",
                           help_text="Le modèle de colonnes est téléchargeable ci-dessous.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError("Déposez un fichier .csv ou .xlsx (le modèle est téléchargeable ci-dessous).")
        if upload.size > settings.IPM_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("Fichier trop volumineux : découpez-le en plusieurs fichiers.")
        return upload


class PopulationFigureForm(forms.ModelForm):
    """The population aged 16 to 25 of a department in a year, with its source (the equity report)."""

    class Meta:
        model = PopulationFigure
        fields = ["department", "year", "population", "source"]
        labels = {"department": "Département", "year": "Année", "population": "Jeunes de 16 à 25 ans",
                  "source": "Source"}
        help_texts = {
            "department": "Numéro du département : 01, 2A, 69, 974…",
            "population": "Le nombre de jeunes de 16 à 25 ans habitant le département cette année-là.",
            "source": "D'où vient le chiffre : ex. « INSEE, recensement de la population 2021 ».",
        }
        error_messages = {
            "population": {"required": "Indiquez la population.", "invalid": "Saisissez un nombre entier."},
            "source": {"required": "Indiquez la source du chiffre."},
            "year": {"required": "Indiquez l'année."},
        }

    def clean_department(self):
        code = normalise(self.cleaned_data.get("department"))
        if code not in department_names():
            raise forms.ValidationError(f"« {code} » n'est pas un numéro de département (ex. : 01, 2A, 69, 974).")
        return code

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 1990 <= year <= 2100:
            raise forms.ValidationError("Saisissez une année entre 1990 et 2100.")
        return year

    def clean_population(self):
        population = self.cleaned_data.get("population")
        if population is not None and population <= 0:
            raise forms.ValidationError("La population doit être supérieure à zéro.")
        return population

    def clean(self):
        cleaned = super().clean()
        department, year = cleaned.get("department"), cleaned.get("year")
        if department and year and PopulationFigure.objects.filter(department=department, year=year).exclude(
                pk=self.instance.pk).exists():
            self.add_error("year", f"La population du département {department} pour {year} est déjà saisie : "
                                   "modifiez-la plutôt.")
        return cleaned
