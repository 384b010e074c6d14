import datetime
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.IPM_SMS_BACKEND = "ipm.sms.FileBackend"
    settings.IPM_SMS_FILE_PATH = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


def at(day, hour=8):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)
