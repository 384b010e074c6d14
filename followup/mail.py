"""Every email's two bodies, text and HTML, rendered from the templates of ``followup/email/``, with the
common footer (``_footer.txt`` / ``_footer.html``): the platform's name and how to reach it
(``IPM_PLATFORM_PHONE``, ``IPM_PLATFORM_EMAIL``, ``IPM_PLATFORM_ADDRESS``, the site's address).

- ``render_email(template, context)``: ``followup/email/<template>.txt`` and ``.html``;
- ``render_staff_email(lines, link, link_label)``: a message to staff, its paragraphs and one link.

The outbox (``outbox.queue_message``) records both bodies; nothing else writes an email's text.
"""
from django.conf import settings
from django.template.loader import render_to_string


def platform_context():
    return {
        "PLATFORM_NAME": settings.IPM_PLATFORM_NAME,
        "PLATFORM_PHONE": settings.IPM_PLATFORM_PHONE,
        "PLATFORM_EMAIL": settings.IPM_PLATFORM_EMAIL,
        "PLATFORM_ADDRESS": settings.IPM_PLATFORM_ADDRESS,
        "PLATFORM_URL": settings.IPM_BASE_URL.rstrip("/") + "/",
    }


def render_email(template, context):
    """(text, html) of ``followup/email/<template>``."""
    context = {**platform_context(), **context}
    text = render_to_string(f"followup/email/{template}.txt", context).strip() + "\n"
    html = render_to_string(f"followup/email/{template}.html", context)
    return text, html


def render_staff_email(lines, link="", link_label=""):
    """(text, html) of a message to staff: ``lines`` (empty ones separate paragraphs) and one link."""
    return render_email("staff", {"lines": list(lines), "link": link, "link_label": link_label})
