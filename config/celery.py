"""The Celery application. Broker from CELERY_BROKER_URL (Redis in production and tests); with nothing
set, the embedded filesystem broker under var/celery, so a newcomer's worker and beat run without a
server."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ipm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
