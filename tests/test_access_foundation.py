"""Access to the foundation's pages, for each role: counsellors stay within their structure,
managers read without acting, anonymous users go to the login page."""
import pytest
from django.urls import reverse

from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

ROLES = ["counsellor", "other_counsellor", "reception", "mobility", "assistant", "manager", "admin"]


@pytest.fixture
def objects(users):
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=users["counsellor"].structure,
                               referring_counsellor=users["counsellor"])
    draft = ReferralFactory(counsellor=users["counsellor"], structure=users["counsellor"].structure)
    return {"dossier": dossier, "draft": draft}


# page → expected status per role (200 = shown; 403 = role may not; 404 = object outside the user's scope).
def expectations(objects):
    d, r = objects["dossier"].pk, objects["draft"].pk
    staff = {"reception": 200, "mobility": 200, "assistant": 200, "manager": 200, "admin": 200}
    return [
        (reverse("dossiers:inbox"), {"counsellor": 403, "other_counsellor": 403, **staff}),
        (reverse("dossiers:detail", args=[d]), {"counsellor": 200, "other_counsellor": 404, **staff}),
        (reverse("referrals:my_youths"), {"counsellor": 200, "other_counsellor": 200, "reception": 403,
                                          "mobility": 403, "assistant": 403, "manager": 403, "admin": 200}),
        (reverse("referrals:create"), {"counsellor": 200, "other_counsellor": 200, "reception": 403,
                                       "mobility": 403, "assistant": 403, "manager": 403, "admin": 200}),
        (reverse("referrals:edit", args=[r]), {"counsellor": 200, "other_counsellor": 404, "reception": 403,
                                               "mobility": 403, "assistant": 403, "manager": 403, "admin": 200}),
    ]


def test_each_role_on_each_page(client, client_for, objects):
    for url, by_role in expectations(objects):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url, url
        for role in ROLES:
            status = client_for(role).get(url).status_code
            assert status == by_role[role], f"{role} on {url}: {status}, expected {by_role[role]}"


def test_other_structure_cannot_act_on_a_draft_or_see_it_in_lists(client_for, objects):
    client = client_for("other_counsellor")
    response = client.post(reverse("referrals:delete", args=[objects["draft"].pk]))
    assert response.status_code == 404
    response = client.post(reverse("referrals:edit", args=[objects["draft"].pk]), {"action": "submit"})
    assert response.status_code == 404
    objects["draft"].refresh_from_db()
    page = client.get(reverse("referrals:my_youths")).content.decode()
    assert objects["draft"].last_name.upper() not in page
    assert objects["dossier"].youth.last_name.upper() not in page


def test_manager_sees_dossier_without_actions(client_for, objects):
    page = client_for("manager").get(reverse("dossiers:detail", args=[objects["dossier"].pk])).content.decode()
    assert "Prochaines actions" not in page
    page = client_for("reception").get(reverse("dossiers:detail", args=[objects["dossier"].pk])).content.decode()
    assert "Prochaines actions" in page


def test_counsellor_sees_own_dossier_read_only(client_for, objects):
    page = client_for("counsellor").get(reverse("dossiers:detail", args=[objects["dossier"].pk])).content.decode()
    assert objects["dossier"].youth.last_name.upper() in page
    assert "Prochaines actions" not in page


def test_inactive_user_cannot_log_in(client, users):
    users["reception"].is_active = False
    users["reception"].save()
    response = client.post(reverse("login"), {"username": "accueil", "password": "Mot-de-passe-de-test-42"})
    assert response.status_code == 200 and "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_and_password_reset_are_french(client, users, eager_celery, django_capture_on_commit_callbacks):
    from django.core import mail

    assert "Connexion" in client.get(reverse("login")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the email goes through the outbox, after commit
        response = client.post(reverse("password_reset"), {"email": users["reception"].email}, follow=True)
    assert "Courriel envoyé" in response.content.decode()
    assert len(mail.outbox) == 1 and "nouveau mot de passe" in mail.outbox[0].body
    response = client.post(reverse("login"), {"username": "accueil", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
