from django import forms
from django.contrib.auth import get_user_model

from ipm.enums import Role
from referrals.models import Structure

from .models import ApiToken


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["structure", "name", "counsellor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.filter(active=True).order_by("name")
        counsellors = get_user_model().objects.filter(role=Role.COUNSELLOR, is_active=True, structure__isnull=False)
        self.fields["counsellor"].queryset = counsellors.select_related("structure").order_by(
            "structure__name", "last_name", "first_name")
        self.fields["counsellor"].label_from_instance = (
            lambda user: f"{user.get_full_name() or user.username} ({user.structure})")

    def clean(self):
        data = super().clean()
        structure, counsellor = data.get("structure"), data.get("counsellor")
        if structure and counsellor and counsellor.structure_id != structure.pk:
            self.add_error("counsellor", "Choisissez un conseiller de cette structure : les fiches arrivent à son nom.")
        return data
