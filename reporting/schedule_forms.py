"""The form of a scheduled export (« Mes exports programmés »)."""
from django import forms

from . import reports, schedules
from .forms import ErasmusExportForm, ReportFilterForm
from .models import ExportSubscription

FILTER_FIELDS = ("scheme", "funder", "structure", "department", "host", "horizon")


class SubscriptionForm(forms.ModelForm):
    """What (a report, an agreement's Erasmus+ file, the funders' set), its filters, its format, when."""

    report = forms.ChoiceField(label="Rapport", required=False, help_text="Pour « Un rapport ».")
    fmt = forms.ChoiceField(label="Format")
    day = forms.TypedChoiceField(label="Jour de l'envoi", coerce=int, choices=[(d, str(d)) for d in range(1, 29)],
                                 help_text="Du 1er au 28 : un jour que chaque mois a.")
    month = forms.TypedChoiceField(label="Mois de l'envoi", coerce=int, required=False, empty_value=1,
                                   choices=[(i, m.capitalize()) for i, m in enumerate(schedules.MONTHS, start=1)],
                                   help_text="Pour un envoi annuel.")

    class Meta:
        model = ExportSubscription
        fields = ["kind", "report", "agreement", "period", "fmt", "frequency", "day", "month"]
        widgets = {"kind": forms.RadioSelect, "frequency": forms.RadioSelect}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [("", "Choisissez un rapport"), *reports.REPORT_TITLES.items()]
        self.fields["agreement"] = ErasmusExportForm().fields["agreement"]
        self.fields["agreement"].required = False
        self.fields["agreement"].help_text = "Pour le fichier Erasmus+ (formats XLSX et CSV seulement)."
        self.fields["fmt"].choices = [(f, schedules.format_label(f)) for f in schedules.formats_for(None)]
        self.fields["period"].help_text = "Les années des rapports (le fichier Erasmus+ couvre toute la convention)."
        # The report filters, as on the reports' pages (host: satisfaction only; horizon: outcomes only).
        borrowed = {**ReportFilterForm(user=user, report="satisfaction").fields,
                    **ReportFilterForm(user=user, report="outcomes").fields}
        for name in FILTER_FIELDS:
            if name in borrowed:
                self.fields[name] = borrowed[name]
        if "host" in self.fields:
            self.fields["host"].help_text = "Rapport de satisfaction seulement."
        if "horizon" in self.fields:
            self.fields["horizon"].help_text = "Rapport des situations après le retour seulement."
        saved = self.instance.filters or {}
        for name in FILTER_FIELDS:
            if name in self.fields and name in saved:
                self.initial.setdefault(name, saved[name])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ExportSubscription.REPORT and not data.get("report"):
            self.add_error("report", "Choisissez le rapport à recevoir.")
        if kind == ExportSubscription.ERASMUS:
            if not data.get("agreement"):
                self.add_error("agreement", "Choisissez la convention Erasmus+.")
            if data.get("fmt") and data["fmt"] not in schedules.ERASMUS_FORMATS:
                self.add_error("fmt", "Le fichier Erasmus+ existe en XLSX ou en CSV seulement.")
        return data

    def save(self, commit=True):
        subscription = super().save(commit=False)
        data = self.cleaned_data
        kind = subscription.kind
        if kind != ExportSubscription.REPORT:
            subscription.report = ""
        if kind != ExportSubscription.ERASMUS:
            subscription.agreement = None
        filters = {}
        if kind != ExportSubscription.ERASMUS:
            for name in FILTER_FIELDS:
                value = data.get(name)
                if hasattr(value, "pk"):
                    value = value.pk
                if name == "horizon" and (subscription.report != "outcomes" or value in (None, 6)):
                    continue
                if name == "host" and subscription.report != "satisfaction":
                    continue
                if value not in (None, ""):
                    filters[name] = value
        subscription.filters = filters
        if commit:
            subscription.save()
        return subscription
