"""Demo data: structures, one user per role, schemes, and dossiers over every state of the wheel."""
import random
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.departures import seed_departures
from demo.followup import seed_followup
from demo.network import seed_network
from demo.outreach import seed_outreach
from demo.space import example_youth, seed_space
from demo.surveys import seed_surveys
from departures.models import Scheme, Stay
from dossiers import transitions, workflow
from demo.wheel import seed_wheel
from dossiers.models import Dossier, DossierEvent, Youth
from dossiers.workflow import State
from followup.enums import Situation
from followup.models import FollowUpCall
from ipm.enums import Role
from ipm.models import User
from referrals.enums import ReferralStatus, StructureKind
from referrals.models import Referral, Structure

DEMO_PASSWORD = "demo-ipm-2026"

STRUCTURES = [
    ("Mission Locale de Saint-Étienne", StructureKind.MISSION_LOCALE, "42", "Saint-Étienne"),
    ("Mission Locale du Roannais", StructureKind.MISSION_LOCALE, "42", "Roanne"),
    ("Mission Locale du Forez", StructureKind.MISSION_LOCALE, "42", "Montbrison"),
    ("Mission Locale de Lyon", StructureKind.MISSION_LOCALE, "69", "Lyon"),
    ("Mission Locale Nord-Isère", StructureKind.MISSION_LOCALE, "38", "Bourgoin-Jallieu"),
    ("France Travail Saint-Étienne Centre", StructureKind.FRANCE_TRAVAIL, "42", "Saint-Étienne"),
    ("CRIJ Auvergne-Rhône-Alpes", StructureKind.CRIJ, "69", "Lyon"),
]

# (username, first name, last name, role, structure index or None)
USERS = [
    ("conseiller", "Sophie", "Martin", Role.COUNSELLOR, 0),
    ("conseiller2", "Karim", "Benali", Role.COUNSELLOR, 1),
    ("accueil", "Julie", "Bernard", Role.RECEPTION, None),
    ("mobilite", "Thomas", "Petit", Role.MOBILITY, None),
    ("assistant", "Nadia", "Moreau", Role.ASSISTANT, None),
    ("responsable", "Claire", "Dubois", Role.MANAGER, None),
    ("admin", "Marc", "Laurent", Role.ADMIN, None),
]

SCHEMES = [
    ("Chantier de jeunesse", 3, "groupe", "Volontariat international de trois semaines."),
    ("Training linguistique", 3, "groupe", "Trois semaines d'anglais intensif."),
    ("OUAT", 12, "individuel", "Erasmus+ : stage de trois mois en entreprise à l'étranger."),
    ("Yes Europe", 12, "individuel", "Erasmus+ : stage de trois mois en entreprise (ancien dispositif)."),
    ("Job", 26, "individuel", "Contrat de travail à l'étranger (ex. Malte)."),
    ("Ready to work", 3, "groupe", "Trois semaines en Angleterre : anglais et recherche d'emploi."),
    ("Service civique", 26, "individuel", "Service civique à l'international."),
]

FIRST_F = ["Léa", "Manon", "Chloé", "Inès", "Camille", "Sarah", "Jade", "Yasmine", "Emma", "Lina", "Océane", "Aïcha"]
FIRST_M = ["Nathan", "Lucas", "Hugo", "Enzo", "Mehdi", "Théo", "Rayan", "Kevin", "Louis", "Yanis", "Mathis", "Moussa"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Traoré",
        "Diallo", "N'Diaye", "Benhamou", "Nguyen", "Mendy", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez"]
DESTINATIONS = [("MT", "La Valette"), ("IE", "Dublin"), ("ES", "Barcelone"), ("DE", "Berlin"), ("IT", "Bologne"),
                ("PT", "Lisbonne"), ("GB", "Brighton"), ("FI", "Helsinki")]
SECTORS = ["Hôtellerie-restauration", "Animation", "Commerce", "Bâtiment", "Aide à la personne", "Logistique"]
TOWNS = [("42000", "Saint-Étienne"), ("42300", "Roanne"), ("42600", "Montbrison"), ("69008", "Lyon"),
         ("38300", "Bourgoin-Jallieu"), ("42100", "Saint-Étienne")]


class Command(BaseCommand):
    help = "Charge les données de démonstration (structures, un utilisateur par rôle, dossiers à toutes les étapes)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autoriser le chargement même avec DEBUG désactivé.")
        parser.add_argument("--print-logins", action="store_true", help="Afficher seulement les identifiants de démonstration.")
        parser.add_argument("--dossiers", type=int, default=60, help="Nombre de dossiers à créer (60 par défaut).")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if options["print_logins"]:
            self.print_logins()
            return
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusé : DEBUG est désactivé (production ?). Ajoutez --force pour charger quand même.")
        if User.objects.filter(username="accueil").exists():
            self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
            seed_wheel(random.Random(options["seed"]))
            seed_departures(random.Random(options["seed"]))
            seed_followup(random.Random(options["seed"]))
            seed_space()
            seed_surveys(random.Random(options["seed"]))
            seed_network(random.Random(options["seed"]))
            seed_outreach(random.Random(options["seed"]), timezone.localdate().year)
            self.print_logins()
            return
        rng = random.Random(options["seed"])
        with transaction.atomic():
            structures = [
                Structure.objects.get_or_create(name=n, defaults={"kind": k, "department": d, "town": t})[0]
                for n, k, d, t in STRUCTURES
            ]
            users = {}
            for username, first, last, role, structure_index in USERS:
                user = User(username=username, first_name=first, last_name=last, role=role,
                            email=f"{username}@demo.ipm.localhost",
                            structure=structures[structure_index] if structure_index is not None else None,
                            is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
                user.set_password(DEMO_PASSWORD)
                user.save()
                users[username] = user
            schemes = [
                Scheme.objects.get_or_create(name=n, defaults={"typical_duration_weeks": w, "format": f, "description": d})[0]
                for n, w, f, d in SCHEMES
            ]
            self.make_dossiers(rng, options["dossiers"], structures, users, schemes)
            seed_wheel(rng)
            seed_departures(rng)
            seed_followup(rng)
            seed_space()
            seed_surveys(rng)
            seed_network(rng)
            seed_outreach(rng, timezone.localdate().year)
        self.stdout.write(self.style.SUCCESS(f"Données de démonstration chargées : {Dossier.objects.count()} dossiers."))
        self.print_logins()

    def make_dossiers(self, rng, count, structures, users, schemes):
        states = list(State)
        today = timezone.localdate()
        staff = users["mobilite"]
        for i in range(count):
            # Every state at least twice, then at random; a few past years of history.
            state = states[i % len(states)] if i < 2 * len(states) else rng.choice(states)
            sex = rng.choice("FM")
            first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
            last = LAST[i % len(LAST)]
            received = today - timedelta(days=rng.randint(5, 4 * 365))
            if state in workflow.DEPARTED_STATES or state == State.CLOSED:
                received = today - timedelta(days=rng.randint(200, 4 * 365))
            birth = date(received.year - rng.randint(18, 25), rng.randint(1, 12), rng.randint(1, 28))
            structure = structures[i % 5] if i % 7 else structures[5 + i % 2]
            counsellor = users["conseiller"] if structure == structures[0] else (
                users["conseiller2"] if structure == structures[1] else None)
            postcode, town = rng.choice(TOWNS)
            youth, _ = Youth.objects.get_or_create(
                last_name=last, first_name=first, birth_date=birth,
                defaults=dict(sex=sex, email=f"{first.lower()}.{i}@exemple.fr".replace("ï", "i").replace("é", "e"),
                              phone=f"06 {rng.randint(40, 59)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                              postcode=postcode, town=town, qpv=rng.random() < 0.3, zrr=rng.random() < 0.15,
                              qualification_level=rng.choice(["VI", "Vbis", "V", "IV", "III", "3", "4", ""]),
                              employment_status=rng.choice(["demandeur_emploi", "demandeur_emploi", "actif_occupe", "etudiant"])),
            )
            dossier = Dossier.objects.create(
                youth=youth, structure=structure, referring_counsellor=counsellor, received_on=received,
                platform_counsellor=staff if state != State.RECEIVED else None,
                scheme=rng.choice(schemes) if state not in (State.RECEIVED, State.INVITED, State.INFO_DONE) else None,
            )
            referral_author = counsellor or users["conseiller"]
            Referral.objects.create(
                status=ReferralStatus.SUBMITTED, structure=structure, counsellor=referral_author,
                last_name=last, first_name=first, birth_date=birth, sex=sex, email=youth.email, phone=youth.phone,
                postcode=postcode, town=town, qpv=youth.qpv, zrr=youth.zrr, qualification_level=youth.qualification_level,
                employment_status=youth.employment_status, wished_destination=rng.choice(DESTINATIONS)[1],
                wished_sector=rng.choice(SECTORS), motivation="Envie de découvrir un autre pays et d'améliorer son anglais.",
                consent=True, consent_date=received, submitted_at=timezone.make_aware(
                    timezone.datetime.combine(received, timezone.datetime.min.time())),
                youth=youth, dossier=dossier,
            )
            transitions.record_creation(dossier, referral_author, "Fiche de liaison envoyée (démonstration)")
            for step in workflow.path_to(state):
                transitions.apply_transition(dossier, step, staff if step != State.INVITED else users["accueil"])
            departs = state in workflow.DEPARTED_STATES or (state == State.CLOSED and rng.random() < 0.8)
            start = min(received + timedelta(days=rng.randint(60, 120)), today - timedelta(days=10)) if departs else None
            self.spread_history(dossier, received, today, start)
            if departs:
                self.make_stay(rng, dossier, received, state, schemes, staff, today, start)

    def spread_history(self, dossier, received, today, departure=None):
        """Date the timeline events over the weeks after the fiche, as if it had been worked then. With a
        departure date, the steps before the stay fall before it and the later ones after it, so that the
        dates of one story agree (acceptance, then signature, then departure: docs/integrity.md)."""
        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("id"))
        before = [e for e in events if departure is None or e.to_state not in workflow.DEPARTED_STATES
                  and e.to_state != State.CLOSED]
        after = events[len(before):]
        days = []
        first_span = ((departure - received).days - 45) if departure else (today - received).days - 1
        first_span = max(first_span, len(before))
        step = first_span // max(len(before), 1)
        days += [received + timedelta(days=min(i * max(step, 1), first_span)) for i in range(len(before))]
        if after:
            span = max((today - departure).days - 1, len(after))
            step = span // len(after)
            days += [departure + timedelta(days=min(i * max(step, 1), span)) for i in range(len(after))]
        for index, (event, when) in enumerate(zip(events, days)):
            DossierEvent.objects.filter(pk=event.pk).update(
                created_at=timezone.make_aware(timezone.datetime.combine(when, timezone.datetime.min.time()))
                + timedelta(hours=9 + index % 8)
            )
        last = events[-1]
        Dossier.objects.filter(pk=dossier.pk).update(
            state_changed_at=DossierEvent.objects.get(pk=last.pk).created_at
        )

    def make_stay(self, rng, dossier, received, state, schemes, staff, today, start):
        scheme = dossier.scheme or rng.choice(schemes)
        country, city = rng.choice(DESTINATIONS)
        weeks = scheme.typical_duration_weeks or 4
        end = start + timedelta(weeks=weeks)
        interrupted = state == State.INTERRUPTED
        if interrupted:
            end = start + timedelta(days=rng.randint(5, 7 * weeks - 1))
        returned = state not in (State.ABROAD,)
        Stay.objects.create(
            dossier=dossier, scheme=scheme, country=country, city=city, planned_start=start,
            planned_end=start + timedelta(weeks=weeks), departure_date=start,
            return_date=min(end, today) if returned else None, interrupted=interrupted,
            interruption_reason="Difficultés d'adaptation, retour anticipé." if interrupted else "",
        )
        if state in (State.FOLLOW_UP, State.CLOSED) and returned:
            months = 6 if state == State.CLOSED else rng.randint(1, 5)
            for month in range(1, months + 1):
                due = end + timedelta(days=30 * month)
                if due > today and state != State.CLOSED:
                    break
                situation = rng.choice(list(Situation)[:-1])
                FollowUpCall.objects.create(
                    dossier=dossier, month=month, due_date=due, assigned_to=staff, reached=True,
                    situation=situation, done_at=timezone.make_aware(timezone.datetime.combine(due, timezone.datetime.min.time())),
                    notes="Appel de suivi (démonstration).",
                )

    def print_logins(self):
        self.stdout.write("\nComptes de démonstration (mot de passe pour tous : %s)" % DEMO_PASSWORD)
        self.stdout.write(f"{'identifiant':<14} {'rôle':<38} structure")
        for username, first, last, role, structure_index in USERS:
            structure = STRUCTURES[structure_index][0] if structure_index is not None else "—"
            self.stdout.write(f"{username:<14} {role.label:<38} {structure}")
        youth = example_youth()
        if youth is not None:
            self.stdout.write(
                f"\nEspace d'un jeune (sans mot de passe) : /espace/connexion/ avec son adresse, par ex. {youth.email} ;\n"
                "le courriel du lien s'affiche dans var/log/worker.log. Ou directement :\n"
                f"  python manage.py space_link {youth.email}"
            )
