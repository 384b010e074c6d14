"""Month arithmetic is dateutil's (ipm.dates.add_months): the end of a month is kept within the month."""
import datetime

from ipm.dates import add_months, add_years

D = datetime.date


def test_the_end_of_january_plus_one_month_is_the_end_of_february():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)  # a leap year
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert add_months(D(2026, 1, 15), -13) == D(2024, 12, 15)


def test_the_29th_of_february_plus_a_year_is_the_28th():
    assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
    assert add_years(D(2028, 2, 29), 4) == D(2032, 2, 29)
