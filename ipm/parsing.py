"""Reading ids, dates and return addresses sent by the browser, in one place.

Whatever a request carries (a hand-edited URL, a script, a stale page), these helpers answer a clean
value or ``None`` — never an exception — so that a view can show a French message or a 404 instead
of a server error::

    meeting_id = parse_id(request.POST.get("meeting"))        # "abc", "", "-1", "9" * 30 → None
    ids = parse_ids(request.POST.getlist("dossiers"))          # junk dropped, duplicates too
    since = parse_date(request.GET.get("depuis"))              # "14/07/2024" or "2024-07-14"
    return redirect(safe_next(request, request.POST.get("next"), "dossiers:inbox"))
"""
import datetime

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

# The largest value of a PostgreSQL ``bigint`` (Django's BigAutoField, our primary keys) and ``integer``.
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1
_MAX_DIGITS = len(str(BIGINT_MAX))

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_id(value, max_value=BIGINT_MAX):
    """A positive integer that fits the column (``bigint`` unless told), from an int or a string of
    digits (spaces around allowed); anything else — empty, letters, sign, decimals, too large — None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > _MAX_DIGITS or not text.isascii() or not text.isdigit():
            return None
        number = int(text)
    else:
        return None
    return number if 0 < number <= max_value else None


def parse_ids(values, max_value=BIGINT_MAX):
    """The valid ids among ``values`` (a list such as ``request.POST.getlist(...)``, or one string of
    comma-separated ids), in their order, without duplicates; junk is dropped."""
    if values is None:
        return []
    if isinstance(values, (str, int)):
        values = str(values).split(",")
    ids = []
    for value in values:
        number = parse_id(value, max_value=max_value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def parse_date(value, minimum=DATE_MIN, maximum=DATE_MAX):
    """A date typed the French way (JJ/MM/AAAA) or ISO (AAAA-MM-JJ, as a date picker sends it), between
    01/01/1900 and 31/12/2100; a ``date`` is checked against the same range. Else None."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value if minimum <= value <= maximum else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 10:
        return None
    for date_format in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
        return parsed if minimum <= parsed <= maximum else None
    return None


def safe_next(request, value, default):
    """Where to go back to: ``value`` if it is a path of this site (``/dossiers/?page=2``), else
    ``default`` (a URL name such as ``"dossiers:inbox"``, a path, or None). Refused: another site
    (``https://evil.example/``, ``//evil.example``), a scheme (``javascript:``), something that is not
    a path (``foo``), control characters."""
    target = value if isinstance(value, str) else ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                            require_https=request.is_secure())
    ):
        return target
    return None if default is None else resolve_url(default)
