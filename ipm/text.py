"""Small shared text helpers."""
import unicodedata


def fold(value):
    """Lower-case, accents removed, inner spaces and hyphens folded: 'Élodie-Marie ' → 'elodie marie'."""
    value = unicodedata.normalize("NFKD", value or "")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.replace("-", " ").replace("'", " ").replace("’", " ")
    return " ".join(value.lower().split())


def person_key(last_name, first_name, birth_date):
    """The key that identifies one young person: same names (without case/accents) and birth date."""
    return f"{fold(last_name)}|{fold(first_name)}|{birth_date.isoformat() if birth_date else ''}"
