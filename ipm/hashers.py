"""The password hasher: Argon2id with the first of the settings the OWASP Password Storage Cheat Sheet
recommends (46 MiB of memory, one pass, one lane). Memory-hard, so guessing on graphics cards costs
far more than with PBKDF2, while a sign-in costs about 60 ms of one core instead of 350 ms for
Django's PBKDF2 at a million iterations: fifty people signing in at nine o'clock no longer queue
behind each other (BENCHMARKS.md). Hashes made with other parameters are replaced at the next
sign-in (Django's ``must_update``)."""
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 47104  # KiB = 46 MiB
    parallelism = 1
