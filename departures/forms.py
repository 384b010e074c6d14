from django import forms
from django.utils import timezone

from ipm import dates
from ipm.forms import NullBooleanRadio, add_exceptional_date_fields, date_field, exceptional_date
from ipm.uploads import UploadField

from . import rules
from .enums import ActionType, EuropassStatus, Funder, PaymentMeans
from .identifiers import parse_grant_agreement_number
from .models import FundingAgreement, GrantPayment, HostOrganisation, Incident, Platform, Scheme, SiteVisit, Stay


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "name", "description", "typical_duration_weeks", "format", "contract_variant",
            "europass_cadence", "default_copayment", "early_return_tolerance_days", "activity_type",
            "participant_category", "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["early_return_tolerance_days"].required = False  # left empty: the usual 7 days

    def clean_early_return_tolerance_days(self):
        value = self.cleaned_data.get("early_return_tolerance_days")
        return rules.DEFAULT_TOLERANCE if value is None else value


class FundingAgreementForm(forms.ModelForm):
    class Meta:
        model = FundingAgreement
        fields = ["funder", "funder_name", "year", "scheme", "places", "amount", "amount_per_participant", "reference",
                  "call_year", "action_type", "grant_agreement_number", "start_date", "end_date", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    start_date = date_field("Début de la période de la convention", required=False)
    end_date = date_field("Fin de la période de la convention", required=False)

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
        number = (data.get("grant_agreement_number") or "").strip().upper()
        data["grant_agreement_number"] = number
        if number:
            if data.get("funder") != Funder.ERASMUS:
                self.add_error("grant_agreement_number", "Un numéro de convention Erasmus+ va avec le financeur « Agence Erasmus+ ».")
            year, action = parse_grant_agreement_number(number)
            if action and not data.get("action_type"):
                data["action_type"] = action if action in ActionType.values else ""
            elif action and data.get("action_type") and action != data["action_type"]:
                self.add_error("action_type", f"Le numéro de convention est celui d'un projet {action}.")
            if year and not data.get("call_year"):
                data["call_year"] = year
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La fin de la période doit suivre son début.")
        return data

    def clean_grant_agreement_number(self):
        number = (self.cleaned_data.get("grant_agreement_number") or "").strip().upper()
        if number and FundingAgreement.objects.filter(grant_agreement_number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Une autre convention porte déjà ce numéro.")
        return number


class HostOrganisationForm(forms.ModelForm):
    class Meta:
        model = HostOrganisation
        fields = ["name", "country", "town", "oid", "sector", "address", "contact_name", "contact_email", "contact_phone",
                  "notes", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_oid(self):
        oid = (self.cleaned_data.get("oid") or "").strip().upper()
        if oid and HostOrganisation.objects.filter(oid=oid).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Une autre structure d'accueil porte déjà cet OID.")
        return oid


class PlatformForm(forms.ModelForm):
    class Meta:
        model = Platform
        fields = ["oid", "city", "country", "latitude", "longitude"]

    def clean_oid(self):
        return (self.cleaned_data.get("oid") or "").strip().upper()


class GrantPaymentForm(forms.ModelForm):
    paid_on = date_field("Date du versement", kind=dates.PAST)

    class Meta:
        model = GrantPayment
        fields = ["paid_on", "amount", "means", "notes"]


class StayForm(forms.ModelForm):
    """Planning the stay: where, with whom, when, how; and the Europass status."""

    planned_start = date_field("Départ prévu", required=False)
    planned_end = date_field("Retour prévu", required=False)
    europass_mobility_issued = NullBooleanRadio(label="Europass Mobilité délivré")

    class Meta:
        model = Stay
        fields = [
            "scheme", "host", "country", "city", "host_country_reason", "planned_start", "planned_end",
            "accommodation", "travel", "europass_mobility_issued", "europass_status", "funding_agreement",
            "green_travel", "distance_km_override",
        ]
        widgets = {"accommodation": forms.Textarea(attrs={"rows": 2}), "travel": forms.Textarea(attrs={"rows": 2}),
                   "host_country_reason": forms.Textarea(attrs={"rows": 2})}
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
        self.fields["funding_agreement"].queryset = FundingAgreement.objects.select_related("scheme").order_by("-year")

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
        reason = (data.get("host_country_reason") or "").strip()
        if host and data.get("country") and host.country != data["country"]:
            if not reason:
                self.add_error("host_country_reason", "Structure d'accueil dans un autre pays : précisez pourquoi.")
        else:
            reason = ""  # recorded only for a host in another country than the stay
        data["host_country_reason"] = reason
        return data


class DossierDateForm(forms.Form):
    """A form recording one dated step of the dossier: ``dossier`` (optional) lets its date rule
    (``departures.rules``) put its message under the field; the service checks the same rule again."""

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def check(self, field, rule, *args):
        day = self.cleaned_data.get(field)
        if day and self.dossier is not None:
            problem = rule(*args, day)
            if problem:
                self.add_error(field, problem)


class SignatureForm(DossierDateForm):
    signed_on = date_field("Date de signature", initial=timezone.localdate, kind=dates.PAST,
                           future_message="La date de signature ne peut pas être dans le futur.")
    scan = UploadField(label="Copie signée (scan, facultatif)", required=False)

    def clean(self):
        data = super().clean()
        self.check("signed_on", rules.signature_date_error, self.dossier)
        return data


class ScanForm(forms.Form):
    scan = UploadField(label="Copie signée (scan)")


class CoPaymentForm(forms.Form):
    amount_due = forms.DecimalField(label="Montant demandé (€)", min_value=0, max_digits=10, decimal_places=2)


class PaymentForm(forms.Form):
    paid_on = date_field("Date du paiement", initial=timezone.localdate, kind=dates.PAST,
                         future_message="La date du paiement ne peut pas être dans le futur.")
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


class DepartureForm(DossierDateForm):
    departure_date = date_field(
        "Date de départ", initial=timezone.localdate, kind=dates.PAST,
        future_message="Enregistrez le départ le jour où le jeune part (la date ne peut pas être dans le futur).",
    )
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        self.check("departure_date", rules.departure_date_error, self.dossier)
        return data


class ReturnForm(DossierDateForm):
    return_date = date_field("Date de retour", initial=timezone.localdate, kind=dates.PAST,
                             future_message=rules.RETURN_FUTURE)
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    early_return_is_interruption = True  # the normal return screen: an early return belongs to « Retour anticipé »

    def clean(self):
        data = super().clean()
        if self.dossier is not None:
            stay = rules.stay_of(self.dossier)
            self.check("return_date", rules.return_date_error, stay)
            if self.early_return_is_interruption and "return_date" not in self.errors:
                self.check("return_date", rules.early_return_error, stay)
        return data


class EarlyReturnForm(ReturnForm):
    return_date = date_field("Date du retour anticipé", initial=timezone.localdate, kind=dates.PAST,
                             future_message=rules.RETURN_FUTURE)
    comment = None
    reason = forms.CharField(label="Motif du retour anticipé", widget=forms.Textarea(attrs={"rows": 3}))
    early_return_is_interruption = False


class ReturnReviewForm(forms.Form):
    review_date = date_field("Date du bilan", initial=timezone.localdate, kind=dates.PAST,
                             future_message="La date du bilan ne peut pas être dans le futur.")
    notes = forms.CharField(label="Bilan du séjour", widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="Ce que le jeune a fait, appris, ses projets au retour.")
    activity_report = UploadField(label="Rapport d'activité (fichier)", required=False)
    europass_mobility_issued = NullBooleanRadio(label="Europass Mobilité délivré")
    europass_status = forms.ChoiceField(label="Europass du jeune", choices=EuropassStatus.choices)


class StayRecordForm(forms.ModelForm):
    """A visit or an incident of ``stay`` (given by the page; an edited record knows its own)."""

    def __init__(self, *args, stay=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stay = stay if stay is not None else (self.instance.stay if self.instance.stay_id else None)


class SiteVisitForm(StayRecordForm):
    visit_date = date_field("Date de la visite", initial=timezone.localdate, kind=dates.PAST,
                            future_message=rules.VISIT_FUTURE)

    class Meta:
        model = SiteVisit
        fields = ["visit_date", "met_employer", "assessment", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_exceptional_date_fields(self)  # a visit just before departure, for instance

    def clean(self):
        data = super().clean()
        day, notes = data.get("visit_date"), data.get("notes") or ""
        if day and self.stay is not None and not dates.has_exceptional_note(notes):
            # Within the stay, or an exception confirmed with its reason, kept at the top of the notes.
            reason = exceptional_date(self, "visit_date", rules.stay_window_error(self.stay, day, "La visite"))
            data["notes"] = dates.with_exceptional_note(notes, reason)
        return data


class IncidentForm(StayRecordForm):
    occurred_on = date_field("Date", initial=timezone.localdate, kind=dates.PAST,
                             future_message=rules.INCIDENT_FUTURE)

    class Meta:
        model = Incident
        fields = ["occurred_on", "kind", "description", "action_taken"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "action_taken": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        day = data.get("occurred_on")
        if day and self.stay is not None and (problem := rules.stay_window_error(self.stay, day, "L'incident")):
            self.add_error("occurred_on", problem)
        return data


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
