"""The demo: every demo young person with an email can sign in; ``space_link`` prints a working link."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from dossiers.models import Youth
from space.models import YouthAccount

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_young_person_with_an_email_an_account_and_the_link_works(client, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--dossiers", "20", stdout=out)
    with_email = Youth.objects.exclude(email="").filter(dossiers__isnull=False).distinct()
    assert with_email.exists()
    assert YouthAccount.objects.filter(youth__in=with_email).count() == with_email.count()
    assert "python manage.py space_link" in out.getvalue()
    youth = with_email.first()
    printed = io.StringIO()
    call_command("space_link", youth.email.upper(), stdout=printed)
    token = printed.getvalue().split("sesame=", 1)[1].split()[0]
    response = client.post(reverse("space:link"), {"sesame": token})
    assert response.status_code == 302 and response.url == reverse("space:home")
    assert f"Bonjour {youth.first_name}" in client.get(reverse("space:home")).content.decode()
    # Run again: nothing twice.
    call_command("seed_demo", stdout=io.StringIO())
    assert YouthAccount.objects.filter(youth__in=with_email).count() == with_email.count()
