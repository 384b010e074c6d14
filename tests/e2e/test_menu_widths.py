"""The main menu on the screens staff use: on one line, or folded behind the menu button — never wrapped
over two lines or running off the screen (« Se déconnecter » out of reach)."""
import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [992, 1100, 1200, 1280, 1366, 1440, 1920]


@pytest.mark.parametrize("username", ["admin", "mobilite", "responsable", "conseiller"])
def test_the_menu_stays_on_one_line_or_folds(page, users, username):
    login(page, username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            assert width < 1200, f"{width} px: menu folded"
            toggler.click()
            page.locator("#menu.show").wait_for()
        logout = page.get_by_role("button", name="Se déconnecter")
        box = logout.bounding_box()
        assert logout.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{width} px: {box}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{width} px: the page scrolls sideways"
        if not toggler.is_visible():
            # One line: every entry and the button on the brand's row.
            brand = page.locator(".navbar-brand").bounding_box()
            for link in page.locator("#menu .nav-link").all():
                assert abs(link.bounding_box()["y"] - brand["y"]) < brand["height"], f"{width} px: {link.inner_text()} wraps"
