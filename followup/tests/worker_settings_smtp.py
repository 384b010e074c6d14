"""Worker settings whose emails go to a real SMTP address nobody listens on: every send fails."""
import os

from .worker_settings import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ["EMAIL_HOST"]
EMAIL_PORT = int(os.environ["EMAIL_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 2
IPM_MESSAGE_MAX_ATTEMPTS = 3
