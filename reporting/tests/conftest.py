"""A small world with every edge the reports must get right:

- Y1 departs twice (D1 fiche 2021 → departure 2022; D2 fiche 2023, interrupted stay), one young person;
- D4: fiche on 31/12/2022, departure in 2023 (a departure in a year other than its fiche's), and the
  young person's birthday on the fiche date;
- Y2: unknown level, unknown QPV/ZRR, under 18, dropped out;
- refused in commission (D5), oriented after diagnostic (D6).
St-Étienne (``structure``): D1, D2, D5. Lyon (``other_structure``): D3, D4, D6.
"""
from datetime import date

import pytest

from departures.tests.factories import SchemeFactory
from dossiers.tests.factories import YouthFactory
from dossiers.workflow import State
from followup.enums import Situation
from reporting.tests.factories import reported_dossier


@pytest.fixture
def schemes(db):
    return {
        "A": SchemeFactory(name="Erasmus+ stages"),
        "B": SchemeFactory(name="Chantier international"),
    }


@pytest.fixture
def world(users, structure, other_structure, schemes):
    admin = users["admin"]
    A, B = schemes["A"], schemes["B"]
    y1 = YouthFactory(last_name="Martin", first_name="Léa", sex="F", birth_date=date(2000, 6, 15),
                      qualification_level="V", qpv=True, zrr=False, employment_status="demandeur_emploi")
    y2 = YouthFactory(last_name="Durand", first_name="Hugo", sex="M", birth_date=date(2005, 3, 1),
                      qualification_level="", qpv=None, zrr=None, employment_status="")
    y3 = YouthFactory(last_name="Petit", first_name="Inès", sex="F", birth_date=date(1995, 12, 31),
                      qualification_level="4", qpv=False, zrr=True, employment_status="etudiant")
    y4 = YouthFactory(last_name="Roux", first_name="Enzo", sex="M", birth_date=date(2003, 7, 1),
                      qualification_level="III", qpv=False, zrr=False, employment_status="actif_occupe")
    y5 = YouthFactory(last_name="Simon", first_name="Jade", sex="F", birth_date=date(2002, 2, 2),
                      qualification_level="VI", qpv=True, zrr=None, employment_status="autre")
    d = {}
    d["D1"] = reported_dossier(admin, State.FOLLOW_UP, date(2021, 11, 20), youth=y1, structure=structure, scheme=A,
                               departure=date(2022, 2, 1), return_date=date(2022, 5, 1), situation6=Situation.CDI)
    d["D2"] = reported_dossier(admin, State.INTERRUPTED, date(2023, 1, 10), youth=y1, structure=structure, scheme=B,
                               departure=date(2023, 3, 1), return_date=date(2023, 3, 20), interrupted=True)
    d["D3"] = reported_dossier(admin, State.DROPPED, date(2022, 1, 10), youth=y2, structure=other_structure)
    d["D4"] = reported_dossier(admin, State.RETURNED, date(2022, 12, 31), youth=y3, structure=other_structure,
                               scheme=A, departure=date(2023, 1, 15), return_date=date(2023, 4, 15),
                               situation6=Situation.TEMPORARY)
    d["D5"] = reported_dossier(admin, State.REFUSED, date(2022, 3, 1), youth=y4, structure=structure, scheme=A)
    d["D6"] = reported_dossier(admin, State.ORIENTED, date(2022, 5, 5), youth=y5, structure=other_structure)
    return d
