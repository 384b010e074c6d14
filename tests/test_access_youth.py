"""The access matrix for the young person's role (« Jeune »): every URL pattern of the project, walked as
in tests/test_access_matrix.py, with a young person who owns one dossier of the matrix's world.

- Every staff page is refused: 403, 404, or the login page (never the page itself).
- The public pages (login, password reset, the follow-up answer link) and the pages of every signed-in
  user (home dispatches to the space; logout) behave as for anyone.
- In the space, their own dossier's pages are open (200) and every other dossier's are a 404.
"""
import pytest
from django.urls import reverse

from referrals.models import Invitation
from space.services import account_for
from tests.test_access_matrix import (
    DENY, HIDE, LOGIN, MATRIX, OK, POST, WITHOUT_CAPABILITY, fingerprint, outcome_of, url_kwargs, walk,
)
from tests import test_access_matrix

# The matrix's objects (one dossier per state and what hangs from them), as a fixture of this module.
matrix_world = test_access_matrix.world

pytestmark = pytest.mark.django_db

# The space's pages, for a young person who owns the « contrat signé » dossier of the world.
SPACE = {
    "space:login": OK,
    "space:link": OK,
    "space:home": OK,
    "space:dossier": HIDE,  # the « fiche reçue » dossier: someone else's
    "space:pieces": HIDE,  # « en montage »: someone else's
    "space:piece_upload": HIDE,
    "space:contract": OK,  # their own
    "space:contract_pdf": OK,
    "space:meeting": HIDE,  # not an invitation of theirs
    "space:meeting_ics": HIDE,
    "space:followup": HIDE,  # the « suivi » dossier's call: someone else's
    "space:send_link": DENY,  # staff only
    "space:accepted_contract_pdf": DENY,  # staff's download (their own copy is space:contract_pdf)
    "space:my_data": OK,
    "space:my_data_export": OK,  # their own data, whatever the id of anything
    "space:rectifications": DENY,  # staff's work list
    "space:rectification_handle": DENY,
    "space:preferences": OK,
}


@pytest.fixture
def youth_client(client, matrix_world):
    client.youth_user = account_for(matrix_world.signed.youth).user
    return client


def request_as_youth(client, method, url):
    """Signed in afresh for each request (the logout row signs out), in a savepoint rolled back."""
    from django.db import transaction

    client.logout()
    client.force_login(client.youth_user)
    with transaction.atomic():
        before = fingerprint() if method == POST else None
        response = client.get(url) if method != POST else client.post(url, {})
        wrote = method == POST and fingerprint() != before
        transaction.set_rollback(True)
    return outcome_of(response), response, wrote


# Called by other systems, not people: the API (a structure's token) and the SMS provider's webhook (its secret).
TOKEN_GUARDED = {"api:fiches", "api:fiche", "api:reports", "api:report", "followup:sms_webhook"}


def test_every_url_is_covered():
    names = set(walk())
    assert {name for name in names if name.startswith("space:")} == set(SPACE)


def test_a_young_person_reaches_no_staff_page(youth_client, matrix_world):
    world = matrix_world
    failures = []
    for name, (method, args, expected) in MATRIX.items():
        url = reverse(name, kwargs=url_kwargs(world, args))
        got, response, wrote = request_as_youth(youth_client, method, url)
        if name in SPACE:
            want = SPACE[name]
        elif name in TOKEN_GUARDED:  # a machine's token or secret decides: a young person has none
            want = got if response.status_code in (401, 403, 404) else "401, 403 or 404"
        elif name in WITHOUT_CAPABILITY:  # public pages, and those of every signed-in user
            want = got if got in (OK, LOGIN) else "OK or LOGIN"
        else:
            want = got if got in (DENY, HIDE, LOGIN) else "403, 404 or the login page"
        if name == "home":
            assert response.status_code == 302 and response.url == reverse("space:home")
        if got != want:
            failures.append(f"{name} ({method} {url}): got {got}, expected {want}")
        elif wrote and got != OK:
            failures.append(f"{name} ({method} {url}): refused but wrote to the database")
    assert not failures, "\n".join(failures)


def test_another_young_persons_rows_are_404(client, matrix_world):
    """The young person of the « fiche reçue » dossier tries every id of the « contrat signé » one."""
    world = matrix_world
    account = account_for(world.received.youth)
    client.force_login(account.user)
    invitation = Invitation.objects.create(meeting=world.meeting, dossier=world.signed)
    own = Invitation.objects.create(meeting=world.meeting, dossier=world.received)
    from followup.tests.factories import FollowUpCallFactory

    call = FollowUpCallFactory(dossier=world.signed, month=1)
    urls = [
        reverse("space:followup", args=[call.pk]),
        reverse("space:dossier", args=[world.signed.pk]),
        reverse("space:pieces", args=[world.signed.pk]),
        reverse("space:contract", args=[world.signed.pk]),
        reverse("space:contract_pdf", args=[world.signed.pk, world.contract.version]),
        reverse("space:meeting", args=[invitation.pk]),
        reverse("space:meeting_ics", args=[invitation.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("space:contract", args=[world.signed.pk]), {"accept": "on"}).status_code == 404
    assert client.get(reverse("space:dossier", args=[world.received.pk])).status_code == 200
    assert client.get(reverse("space:meeting", args=[own.pk])).status_code == 200
    assert client.get(reverse("space:meeting_ics", args=[own.pk])).status_code == 200
