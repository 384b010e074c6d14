"""Forms of the meetings (information collective, individual interview, preparation for departure)."""
from django import forms

from ipm.enums import PLATFORM_ROLES
from ipm.forms import date_field
from ipm.models import User

from .meeting_enums import MeetingKind
from .models import Meeting


class MeetingForm(forms.ModelForm):
    date = date_field("Date")
    video_link = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = [
            "kind", "title", "date", "start_time", "end_time", "place", "video_link", "capacity", "facilitator",
            "scheme", "notes",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": "Facultatif, ex. « Info collective Roanne ».",
            "capacity": "Vide : sans limite.",
            "notes": "Repris dans le courriel d'invitation (pièces à apporter, accès…).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = User.objects.filter(is_active=True, role__in=PLATFORM_ROLES).order_by(
            "last_name", "first_name"
        )
        self.fields["facilitator"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "L'heure de fin doit être après l'heure de début.")
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.seats_taken:
            self.add_error("capacity", f"{self.instance.seats_taken} jeunes sont déjà invités : la capacité ne peut pas être inférieure.")
        return data


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=[("", "Tous")] + MeetingKind.choices, required=False)
    when = forms.ChoiceField(
        label="Période", choices=[("a_venir", "À venir"), ("passees", "Passées"), ("toutes", "Toutes")], required=False
    )

