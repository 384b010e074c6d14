"""Settings of the Celery worker processes the worker tests start: the project's settings, pointed at
the test database and at a queue of its own, with emails and SMS written to files the test reads."""
import os

from config.settings import *  # noqa: F401,F403
from config.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["IPM_TEST_DB_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 60  # reuse connections between tasks, like production
CELERY_TASK_DEFAULT_QUEUE = os.environ["IPM_TEST_QUEUE"]
EMAIL_BACKEND = "followup.tests.backends.SlowFileEmailBackend"
EMAIL_FILE_PATH = os.environ["IPM_TEST_MAIL_DIR"]
IPM_SMS_BACKEND = "ipm.sms.FileBackend"
IPM_SMS_FILE_PATH = os.environ["IPM_TEST_SMS_FILE"]
IPM_MESSAGE_RESEND_GRACE_SECONDS = 0
IPM_MESSAGE_RETRY_BASE_SECONDS = 0.2
IPM_BASE_URL = "http://testserver"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker killed in the middle of a send held its message for this long: then another delivery sends it.
IPM_MESSAGE_SEND_LEASE_SECONDS = 3
