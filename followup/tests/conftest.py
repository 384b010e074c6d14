import datetime
from zoneinfo import ZoneInfo

import pytest

from config.celery import app as celery_app

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def eager_celery():
    """Run the tasks inline (unit tests of the task logic; the worker tests use a real worker)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.IPM_SMS_BACKEND = "ipm.sms.FileBackend"
    settings.IPM_SMS_FILE_PATH = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


def at(day, hour=8):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)
