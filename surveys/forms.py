"""The answer forms, built from the version given: one field per item (``item_<code>``), and for the
surveys at 12 and 36 months the situation, the employer and life abroad. Staff forms add the source
(phone or paper). The checks that count are those of ``services.record_response``."""
from django import forms

from followup.enums import Situation
from space.forms import AccessibleForm

from .enums import STAFF_SOURCES, Horizon, ItemKind

YES_NO = [("oui", "Oui"), ("non", "Non")]
REQUIRED_MESSAGE = {"required": "Cette question demande une réponse."}
SURVEY_SITUATIONS = [(value, label) for value, label in Situation.choices if value != Situation.UNKNOWN]


def field_name(code):
    return f"item_{code}"


class AnswerForm(AccessibleForm):
    def __init__(self, *args, survey, staff=False, **kwargs):
        self.survey = survey
        self.items = []
        super().__init__(*args, **kwargs)
        fields = {}
        if staff:
            fields["source"] = forms.ChoiceField(label="Réponses données", choices=STAFF_SOURCES,
                                                 widget=forms.RadioSelect)
        if survey.horizon == Horizon.RETURN:
            for section in survey.version.sections() if survey.version else []:
                for item in section["items"]:
                    fields[field_name(item["code"])] = self._item_field(item)
                    self.items.append((section["title"], item))
        else:
            fields["situation"] = forms.ChoiceField(label="Votre situation aujourd'hui",
                                                    choices=SURVEY_SITUATIONS, widget=forms.RadioSelect,
                                                    error_messages=REQUIRED_MESSAGE)
            fields["employer"] = forms.CharField(label="Votre employeur ou votre organisme de formation",
                                                 max_length=200, required=False)
            fields["abroad"] = forms.ChoiceField(label="Vivez-vous ou travaillez-vous à l'étranger ?", choices=YES_NO,
                                                 widget=forms.RadioSelect, error_messages=REQUIRED_MESSAGE)
            fields["comment"] = forms.CharField(label="Un message pour l'équipe ?", required=False,
                                                widget=forms.Textarea(attrs={"rows": 3}))
        for name, field in fields.items():
            self.fields[name] = field
            check = isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
            field.widget.attrs["class"] = "form-check-input" if check else "form-control"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self.field_id(name)}-aide"

    @staticmethod
    def _item_field(item):
        common = {"label": item["label"], "required": item["required"], "error_messages": REQUIRED_MESSAGE}
        choices = [tuple(option) for option in item["options"]]
        if item["kind"] == ItemKind.FREE_TEXT:
            return forms.CharField(**common, widget=forms.Textarea(attrs={"rows": 3}))
        if item["kind"] == ItemKind.MULTI_CHOICE:
            return forms.MultipleChoiceField(**common, choices=choices, widget=forms.CheckboxSelectMultiple,
                                             help_text="Plusieurs réponses possibles.")
        return forms.ChoiceField(**common, choices=choices, widget=forms.RadioSelect)

    def sections(self):
        """[(section title, [bound fields])] in the questionnaire's order."""
        grouped = {}
        for title, item in self.items:
            grouped.setdefault(title, []).append(self[field_name(item["code"])])
        return list(grouped.items())

    def answers(self):
        """{item code: value(s) or text} for ``services.record_response``."""
        return {item["code"]: self.cleaned_data.get(field_name(item["code"])) for _title, item in self.items}

    def survey_fields(self):
        data = self.cleaned_data
        if self.survey.horizon == Horizon.RETURN:
            return {}
        return {"situation": data["situation"], "employer": data.get("employer", ""),
                "abroad": data["abroad"] == "oui", "comment": data.get("comment", "")}

    def add_service_errors(self, errors):
        for code, message in errors.items():
            name = field_name(code) if field_name(code) in self.fields else code
            self.add_error(name if name in self.fields else None, message)
