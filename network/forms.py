"""Forms of the network: an ambassador's consent and details, the search, pairs and their meetings,
network meetings and their invitations."""
from django import forms
from django.db.models import Q
from django_countries import countries

from departures.models import Scheme
from dossiers.models import Dossier
from ipm import dates
from ipm.enums import Role
from ipm.forms import date_field
from ipm.models import User
from referrals.models import Structure

from .enums import MONTHS, Presence
from .models import Ambassador, NetworkMeeting
from .rules import AFTER_RETURN_STATES, CANDIDATE_STATES

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def dossier_label(dossier):
    return f"{dossier.youth} — dossier n° {dossier.pk} ({dossier.get_state_display()}, {dossier.structure})"


class AmbassadorForm(forms.ModelForm):
    consent_on = date_field("Accord du jeune donné le", kind=dates.PAST,
                            future_message="L'accord ne peut pas être daté de demain.")
    months = forms.TypedMultipleChoiceField(label="Mois de disponibilité", choices=MONTHS, coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Ambassador
        fields = ["consent_on", "availability", "months", "preferred_contact", "contact_shared"]


class AmbassadorCreateForm(AmbassadorForm):
    dossier = forms.ModelChoiceField(label="Jeune revenu de séjour", queryset=Dossier.objects.none(),
                                     empty_label="Choisissez le dossier du séjour")
    consent = forms.BooleanField(label="Le jeune a donné son accord pour être ambassadeur (il peut le retirer à tout moment)")

    class Meta(AmbassadorForm.Meta):
        fields = ["dossier", "consent", *AmbassadorForm.Meta.fields]

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = (dossiers if dossiers is not None else Dossier.objects).filter(
            state__in=AFTER_RETURN_STATES).exclude(youth__ambassador__withdrawn_at__isnull=True,
                                                   youth__ambassador__isnull=False).select_related("youth", "structure")
        self.fields["dossier"].label_from_instance = dossier_label


class WithdrawForm(forms.Form):
    note = forms.CharField(label="Précision (comment le jeune l'a demandé)", max_length=255, required=False)


class AmbassadorSearchForm(forms.Form):
    q = forms.CharField(label="Nom", required=False)
    destination = forms.ChoiceField(label="Destination (pays)", required=False)
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=Scheme.objects.all(), required=False,
                                    empty_label="Tous les dispositifs")
    department = forms.ChoiceField(label="Département", required=False)
    structure = forms.ModelChoiceField(label="Mission locale", queryset=Structure.objects.all(), required=False,
                                       empty_label="Toutes les structures")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", "Toutes")] + list(countries)
        departments = (Structure.objects.exclude(department="").order_by("department")
                       .values_list("department", flat=True).distinct())
        self.fields["department"].choices = [("", "Tous")] + [(d, d) for d in departments]


class PairingForm(forms.Form):
    candidate = forms.ModelChoiceField(label="Candidat", queryset=Dossier.objects.none(),
                                       empty_label="Choisissez le dossier du candidat")
    sponsor = forms.ModelChoiceField(label="Parrain ou marraine (ancien participant)", queryset=Dossier.objects.none(),
                                     empty_label="Choisissez l'ancien participant")
    started_on = date_field("Binôme formé le", kind=dates.PAST)

    def __init__(self, *args, dossiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = dossiers.select_related("youth", "structure")
        self.fields["candidate"].queryset = visible.filter(state__in=CANDIDATE_STATES).order_by("youth__last_name")
        # Ambassadors first: they agreed to testify, often the parrains.
        self.fields["sponsor"].queryset = visible.filter(state__in=AFTER_RETURN_STATES).order_by(
            "youth__ambassador__withdrawn_at", "youth__last_name")
        for name in ("candidate", "sponsor"):
            self.fields[name].label_from_instance = dossier_label

    def clean(self):
        data = super().clean()
        candidate, sponsor = data.get("candidate"), data.get("sponsor")
        if candidate and sponsor and candidate.youth_id == sponsor.youth_id:
            self.add_error("sponsor", "Un jeune ne peut pas être son propre parrain.")
        return data


class PairMeetingForm(forms.Form):
    date = date_field("Date de la rencontre", kind=dates.PAST,
                      future_message="La rencontre se saisit une fois qu'elle a eu lieu.")
    place = forms.CharField(label="Lieu", max_length=255, required=False)
    report = forms.CharField(label="Fiche de restitution", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="Ce qui a été vu ensemble, en quelques lignes.")


class PairingEndForm(forms.Form):
    ended_on = date_field("Binôme terminé le", kind=dates.PAST,
                          future_message="Un binôme se termine au plus tard aujourd'hui : la date de fin ne peut pas "
                                         "être dans le futur.")


class NetworkMeetingForm(forms.ModelForm):
    date = date_field("Date")
    video_link = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")

    class Meta:
        model = NetworkMeeting
        fields = ["kind", "title", "date", "start_time", "end_time", "place", "video_link", "notes", "minutes"]
        widgets = {"start_time": TIME, "end_time": TIME, "notes": forms.Textarea(attrs={"rows": 3}),
                   "minutes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"notes": "Repris dans le courriel d'invitation.",
                      "minutes": "Le compte rendu, une fois la réunion tenue (téléchargeable en PDF)."}

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "L'heure de fin doit être après l'heure de début.")
        return data


class InviteGuestsForm(forms.Form):
    users = forms.ModelMultipleChoiceField(label="Conseillers et utilisateurs", queryset=User.objects.none(),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    ambassadors = forms.ModelMultipleChoiceField(label="Ambassadeurs", queryset=Ambassador.objects.none(),
                                                 required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(is_active=True).exclude(role=Role.YOUTH).filter(
            ~Q(email="")).select_related("structure").order_by("structure__name", "last_name")
        self.fields["users"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} — {u.structure or u.get_role_display()}")
        self.fields["ambassadors"].queryset = Ambassador.objects.active().select_related("youth", "dossier__structure")
        self.fields["ambassadors"].label_from_instance = lambda a: f"{a} — {a.dossier.structure}"

    def clean(self):
        data = super().clean()
        if not data.get("users") and not data.get("ambassadors"):
            raise forms.ValidationError("Cochez au moins une personne à inviter.")
        return data


class SpeakerForm(forms.Form):
    meeting = forms.ModelChoiceField(label="Réunion", queryset=None, empty_label="Choisissez la réunion")

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class PresenceForm(forms.Form):
    status = forms.ChoiceField(label="Présence", choices=Presence.choices)
