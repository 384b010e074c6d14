from django import forms
from django.utils import timezone

from ipm.forms import NullBooleanRadio, date_field
from ipm.uploads import UploadField

from .enums import EuropassStatus, Funder, PaymentMeans
from .models import FundingAgreement, HostOrganisation, Incident, Scheme, SiteVisit, Stay


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "name", "description", "typical_duration_weeks", "format", "contract_variant",
            "europass_cadence", "default_copayment", "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class FundingAgreementForm(forms.ModelForm):
    class Meta:
        model = FundingAgreement
        fields = ["funder", "funder_name", "year", "scheme", "places", "amount", "amount_per_participant", "reference", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
        self.fields["scheme"].queryset = Scheme.objects.order_by("-active", "name")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("Saisissez une année sur quatre chiffres (ex. 2026).")
        return year

    def clean(self):
        data = super().clean()
        if data.get("funder") in (Funder.COMPANY, Funder.OTHER) and not data.get("funder_name"):
            self.add_error("funder_name", "Précisez le nom de l'entreprise ou du financeur.")
        return data


class HostOrganisationForm(forms.ModelForm):
    class Meta:
        model = HostOrganisation
        fields = ["name", "country", "town", "sector", "address", "contact_name", "contact_email", "contact_phone", "notes", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class StayForm(forms.ModelForm):
    """Planning the stay: where, with whom, when, how; and the Europass status."""

    planned_start = date_field("Départ prévu", required=False)
    planned_end = date_field("Retour prévu", required=False)
    europass_mobility_issued = NullBooleanRadio(label="Europass Mobilité délivré")

    class Meta:
        model = Stay
        fields = [
            "scheme", "host", "country", "city", "planned_start", "planned_end", "accommodation", "travel",
            "europass_mobility_issued", "europass_status",
        ]
        widgets = {"accommodation": forms.Textarea(attrs={"rows": 2}), "travel": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"host": "Absente de la liste ? Créez-la d'abord dans « Structures d'accueil »."}

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier is not None and dossier.scheme_id:
            # The scheme is the dossier's (chosen with the mobility project): one place to change it.
            del self.fields["scheme"]
            self.instance.scheme_id = dossier.scheme_id
        self.fields["host"].queryset = HostOrganisation.objects.filter(active=True) | HostOrganisation.objects.filter(
            pk=self.instance.host_id or 0
        )
        if "scheme" in self.fields:
            self.fields["scheme"].queryset = Scheme.objects.filter(active=True) | Scheme.objects.filter(
                pk=self.instance.scheme_id or 0
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "Le retour prévu doit suivre le départ prévu.")
        host = data.get("host")
        if host and not data.get("country"):
            data["country"] = host.country
        if host and not data.get("city"):
            data["city"] = host.town
        return data


class SignatureForm(forms.Form):
    signed_on = date_field("Date de signature", initial=timezone.localdate)
    scan = UploadField(label="Copie signée (scan, facultatif)", required=False)

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de signature ne peut pas être dans le futur.")
        return day


class ScanForm(forms.Form):
    scan = UploadField(label="Copie signée (scan)")


class CoPaymentForm(forms.Form):
    amount_due = forms.DecimalField(label="Montant demandé (€)", min_value=0, max_digits=10, decimal_places=2)


class PaymentForm(forms.Form):
    paid_on = date_field("Date du paiement", initial=timezone.localdate)
    amount = forms.DecimalField(label="Montant (€)", min_value=0.01, max_digits=10, decimal_places=2)
    means = forms.ChoiceField(label="Moyen de paiement", choices=PaymentMeans.choices)
    notes = forms.CharField(label="Remarque", required=False, max_length=255)

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date du paiement ne peut pas être dans le futur.")
        return day


class WaiverForm(forms.Form):
    reason = forms.CharField(label="Motif de la dispense", widget=forms.Textarea(attrs={"rows": 2}))


class DepartureForm(forms.Form):
    departure_date = date_field("Date de départ", initial=timezone.localdate)
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_departure_date(self):
        day = self.cleaned_data["departure_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Enregistrez le départ le jour où le jeune part (la date ne peut pas être dans le futur).")
        return day


class ReturnForm(forms.Form):
    return_date = date_field("Date de retour", initial=timezone.localdate)
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EarlyReturnForm(forms.Form):
    return_date = date_field("Date du retour anticipé", initial=timezone.localdate)
    reason = forms.CharField(label="Motif du retour anticipé", widget=forms.Textarea(attrs={"rows": 3}))


class ReturnReviewForm(forms.Form):
    review_date = date_field("Date du bilan", initial=timezone.localdate)
    notes = forms.CharField(label="Bilan du séjour", widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="Ce que le jeune a fait, appris, ses projets au retour.")
    activity_report = UploadField(label="Rapport d'activité (fichier)", required=False)
    europass_mobility_issued = NullBooleanRadio(label="Europass Mobilité délivré")
    europass_status = forms.ChoiceField(label="Europass du jeune", choices=EuropassStatus.choices)

    def clean_review_date(self):
        day = self.cleaned_data["review_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date du bilan ne peut pas être dans le futur.")
        return day


class SiteVisitForm(forms.ModelForm):
    visit_date = date_field("Date de la visite", initial=timezone.localdate)

    class Meta:
        model = SiteVisit
        fields = ["visit_date", "met_employer", "assessment", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class IncidentForm(forms.ModelForm):
    occurred_on = date_field("Date", initial=timezone.localdate)

    class Meta:
        model = Incident
        fields = ["occurred_on", "kind", "description", "action_taken"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "action_taken": forms.Textarea(attrs={"rows": 2})}


class AcceptForm(forms.Form):
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_over_quota = forms.BooleanField(
        label="Je confirme l'acceptation malgré le dépassement du nombre de places", required=False
    )


class StayFilterForm(forms.Form):
    q = forms.CharField(label="Nom du jeune", required=False)
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=Scheme.objects.all(), required=False, empty_label="Tous")
    country = forms.CharField(label="Pays (code ou nom)", required=False)


class HostFilterForm(forms.Form):
    q = forms.CharField(label="Nom ou ville", required=False)
    sector = forms.CharField(label="Secteur", required=False)
    country = forms.CharField(label="Pays", required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100, required=False)
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=Scheme.objects.all(), required=False, empty_label="Tous")
