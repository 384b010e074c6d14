"""The meetings as calendars read them (RFC 5545, and RFC 5546 for the invitations), built with icalendar.

- ``build_invitation(invitation, method)``: one young person's invitation: ``METHOD:REQUEST`` (the first
  invitation and every update) or ``METHOD:CANCEL`` (the meeting cancelled, the invitation withdrawn). The
  platform is the ORGANIZER (``IPM_PLATFORM_NAME``, ``IPM_PLATFORM_EMAIL``); the young person an ATTENDEE
  asked to answer (``RSVP=TRUE``, ``PARTSTAT=NEEDS-ACTION``); the referring counsellor, when there is one,
  an ATTENDEE in copy (``ROLE=NON-PARTICIPANT``). Its UID is the same for the email and every download
  (``invitation_uid``); its SEQUENCE is the invitation's, raised by ``referrals.meetings`` on every change
  that matters (date, time, place, cancel, withdrawal, a new invitation after a withdrawal).
- ``build_meeting(meeting)``: the meeting alone (``METHOD:PUBLISH``, no attendee), for the staff's agenda.

Times are local (``DTSTART;TZID=Europe/Paris``) with their ``VTIMEZONE``.
"""
import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Ipm//Plateforme mobilite//FR"
FILENAME = "invitation.ics"


def content_type(method="REQUEST"):
    """The media type of a calendar file or MIME part: one ``method``, one ``charset``."""
    return f"text/calendar; method={method}; charset=utf-8"


def domain():
    """The platform's domain, from the site's base URL (``IPM_BASE_URL``)."""
    return urlsplit(settings.IPM_BASE_URL).hostname or "ipm.localhost"


def meeting_uid(meeting):
    return f"meeting-{meeting.pk}@{domain()}"


def invitation_uid(invitation):
    """One UID per meeting and person, stable: the email, its updates, its cancel and the downloads share it."""
    return f"meeting-{invitation.meeting_id}-invitation-{invitation.pk}@{domain()}"


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _times(meeting):
    start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=_zone())
    if meeting.end_time:
        end = datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=_zone())
    else:
        end = start + datetime.timedelta(hours=2)
    return start, end


def _address(email, name, **params):
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = vText(value)
    return address


def organizer():
    return _address(settings.IPM_PLATFORM_EMAIL, settings.IPM_PLATFORM_NAME)


def _event(meeting, uid, sequence, cancelled):
    start, end = _times(meeting)
    label = meeting.title or meeting.get_kind_display()
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(datetime.timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", sequence)
    event.add("summary", f"{label} — {settings.IPM_PLATFORM_NAME}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if meeting.place or meeting.video_link:
        event.add("location", meeting.place or meeting.video_link)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    return event


def _calendar(method, event, day):
    """The calendar of ``event`` (on ``day``) with its time zone, described for the year around the day."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    year = datetime.timedelta(days=366)
    calendar.add_missing_timezones(first_date=day - year, last_date=day + year)
    return calendar.to_ical()


def _description(meeting, answer_url=""):
    parts = [meeting.notes] if meeting.notes else []
    if meeting.video_link:
        parts.append(f"Lien de visioconférence : {meeting.video_link}")
    if answer_url:
        parts.append(f"Répondre (je viendrai / je ne pourrai pas venir) : {answer_url}")
    return "\n".join(parts)


def build_invitation(invitation, method="REQUEST"):
    """The invitation of one person to one meeting, as iCalendar bytes (``method``: REQUEST or CANCEL)."""
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Méthode iCalendar non prise en charge : {method}")
    meeting = invitation.meeting
    dossier = invitation.dossier
    youth = dossier.youth
    event = _event(meeting, invitation_uid(invitation), invitation.sequence, cancelled=method == "CANCEL")
    event.add("organizer", organizer())
    if youth.email:
        event.add("attendee", _address(youth.email, f"{youth.first_name} {youth.last_name}".strip(),
                                       cutype="INDIVIDUAL", role="REQ-PARTICIPANT", partstat="NEEDS-ACTION",
                                       rsvp="TRUE"))
    counsellor = dossier.referring_counsellor
    if counsellor is not None and counsellor.email:
        event.add("attendee", _address(counsellor.email, counsellor.get_full_name() or counsellor.username,
                                       cutype="INDIVIDUAL", role="NON-PARTICIPANT", partstat="NEEDS-ACTION",
                                       rsvp="FALSE"))
    answer_url = settings.IPM_BASE_URL.rstrip("/") + reverse("space:meeting", args=[invitation.pk])
    if description := _description(meeting, "" if method == "CANCEL" else answer_url):
        event.add("description", description)
    return _calendar(method, event, meeting.date)


def build_guest_invitation(meeting, uid, email, name, method="REQUEST", sequence=0):
    """An invitation of one guest who is not a dossier's young person (a counsellor or an ambassador to a
    network meeting, an ambassador as a speaker): the platform as ORGANIZER, the guest as ATTENDEE. Their
    answer is not read from the calendar (``RSVP=FALSE``): staff record who came. ``meeting`` is any object
    with the fields of a meeting (date, start_time, end_time, title, place, video_link, notes)."""
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Méthode iCalendar non prise en charge : {method}")
    event = _event(meeting, uid, sequence, cancelled=method == "CANCEL")
    event.add("organizer", organizer())
    event.add("attendee", _address(email, name, cutype="INDIVIDUAL", role="REQ-PARTICIPANT",
                                   partstat="NEEDS-ACTION", rsvp="FALSE"))
    if description := _description(meeting):
        event.add("description", description)
    return _calendar(method, event, meeting.date)


def build_meeting(meeting):
    """The meeting itself, for the agenda of the staff who run it (``METHOD:PUBLISH``, no attendee)."""
    event = _event(meeting, meeting_uid(meeting), 0, cancelled=meeting.cancelled_at is not None)
    if description := _description(meeting):
        event.add("description", description)
    return _calendar("PUBLISH", event, meeting.date)


def attachment(invitation, method="REQUEST"):
    """The outbox's ``(name, text, media type)`` of the invitation's calendar file."""
    return FILENAME, build_invitation(invitation, method).decode("utf-8"), content_type(method.upper())
