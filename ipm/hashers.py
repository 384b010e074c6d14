"""The password hasher: Argon2id with the second of the equivalent settings the OWASP Password Storage
Cheat Sheet recommends (19 MiB of memory, two passes, one lane). Memory-hard, so guessing on graphics
cards costs far more than with PBKDF2, while a sign-in costs about 25 ms of one core instead of 350 ms
for Django's PBKDF2 at a million iterations: fifty people signing in at nine o'clock no longer queue
behind each other (BENCHMARKS.md).

OWASP's first setting (46 MiB, one pass), used before, costs about 65 ms here, of which 25 ms are the
kernel's: 46 MiB is above the C allocator's largest threshold for reusing freed memory, so each hash
maps 11,800 fresh pages and the kernel zeroes them; 19 MiB is reused from one hash to the next
(bench/argon2_options.py). Hashes made with other parameters (PBKDF2, the first setting) are replaced
at the next sign-in (Django's ``must_update``)."""
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB = 19 MiB
    parallelism = 1
