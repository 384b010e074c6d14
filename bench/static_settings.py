"""Settings for collecting the static files quickly in the smoke test of the production-mode server
(tests/test_load_prod_smoke.py): the production settings with the same hashed names (manifest), but
without WhiteNoise's gzip and Brotli copies, which take minutes to make. The server itself runs with
config.settings, which reads this manifest; the load test (bench/load.sh) collects with compression."""
from config.settings import *  # noqa: F401,F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
