"""Nationality on the fiche: recorded when the counsellor knows it, blank otherwise (never guessed)."""
import pytest
from django.urls import reverse

from dossiers.models import Youth
from referrals.tests.test_fiche import fiche_data

pytestmark = pytest.mark.django_db


def test_new_fiche_has_no_nationality_chosen_in_advance(client_for):
    page = client_for("counsellor").get(reverse("referrals:create")).content.decode()
    assert 'value="FR" selected' not in page
    assert "jamais devinée" in page


@pytest.mark.parametrize("given,recorded", [("", ""), ("MA", "MA")])
def test_fiche_records_the_nationality_given_or_none(client_for, eager_celery, django_capture_on_commit_callbacks,
                                                     given, recorded):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("counsellor").post(reverse("referrals:create"), fiche_data(nationality=given), follow=True)
    assert Youth.objects.get().nationality.code == recorded
