import os
import time

from django.core.mail.backends import filebased


class SlowFileEmailBackend(filebased.EmailBackend):
    """Django's file email backend, taking IPM_TEST_SEND_DELAY seconds per send like a real SMTP
    server would, so that a test can kill a worker in the middle of a batch."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("IPM_TEST_SEND_DELAY", "0")))
        return super().send_messages(email_messages)
