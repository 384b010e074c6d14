"""Questionnaires as data (sections, items, versions) and what the young people answer.

A ``Questionnaire`` is edited by managers (Django admin): its ``Section`` and ``Item`` rows. What a young
person is given is a ``QuestionnaireVersion``: a frozen copy of the sections and items (``content``).
Every change of a questionnaire is published (``publish``, called on each save): while nobody has
answered the latest version, it is updated in place; once it has answers, the change becomes a new
version, and the answers keep the version they were given on.

A ``Survey`` is one request to one dossier for one horizon (the return questionnaire, 12 or 36 months
after return), created once (unique dossier + horizon) by the daily task; its ``Response`` (one at most:
answerable once) holds the ``Answer`` rows.
"""
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from followup.enums import Situation

from .enums import SCALE4_OPTIONS, YES_NO_OPTIONS, Horizon, ItemKind, Source


class Questionnaire(models.Model):
    name = models.CharField("nom", max_length=200)
    description = models.TextField("présentation au jeune", blank=True)
    schemes = models.ManyToManyField(
        "departures.Scheme", verbose_name="dispositifs", blank=True, related_name="questionnaires",
        help_text="Aucun dispositif choisi : le questionnaire vaut pour tous les dispositifs.",
    )
    active = models.BooleanField("en service", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "questionnaire de satisfaction"
        verbose_name_plural = "questionnaires de satisfaction"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()

    def content(self):
        """The sections and items as they stand, in the frozen form of a version."""
        sections = []
        for section in self.sections.order_by("position", "pk").prefetch_related("items"):
            sections.append({"title": section.title, "items": [
                item.frozen() for item in sorted(section.items.all(), key=lambda i: (i.position, i.pk))]})
        return {"name": self.name, "description": self.description, "sections": sections}

    def publish(self):
        """Bring the versions up to date with the questionnaire: nothing when unchanged; the latest version
        updated in place while it has no answer; else a new version. Returns the current version."""
        with transaction.atomic():
            Questionnaire.objects.select_for_update().filter(pk=self.pk).first()
            content = self.content()
            latest = self.current_version
            if latest is not None and latest.content == content:
                return latest
            if latest is not None and not latest.responses.exists():
                latest.content = content
                latest.save(update_fields=["content"])
                return latest
            number = latest.number + 1 if latest is not None else 1
            return self.versions.create(number=number, content=content)


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="questionnaire", on_delete=models.CASCADE,
                                      related_name="sections")
    title = models.CharField("titre", max_length=200)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "section"
        verbose_name_plural = "sections"
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self):
        return f"{self.questionnaire} — {self.title}"


class Item(models.Model):
    section = models.ForeignKey(Section, verbose_name="section", on_delete=models.CASCADE, related_name="items")
    code = models.SlugField("code", max_length=60,
                            help_text="Identifiant stable de la question (les réponses des versions successives "
                                      "d'une même question se comptent ensemble).")
    label = models.CharField("question", max_length=300)
    kind = models.CharField("type de réponse", max_length=15, choices=ItemKind.choices, default=ItemKind.SCALE4)
    required = models.BooleanField("réponse obligatoire", default=False)
    options = models.TextField("choix proposés", blank=True,
                               help_text="Pour « un choix » et « plusieurs choix » : un choix par ligne.")
    partner_rated = models.BooleanField(
        "note la structure d'accueil", default=False,
        help_text="Le rapport de satisfaction donne aussi ses réponses par structure d'accueil.")
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "question"
        verbose_name_plural = "questions"
        ordering = ["section", "position", "pk"]

    def __str__(self):
        return self.label

    def choices(self):
        return item_choices(self.kind, self.options)

    def frozen(self):
        return {"code": self.code, "label": self.label, "kind": self.kind, "required": self.required,
                "partner_rated": self.partner_rated, "options": [list(c) for c in self.choices()]}


def item_choices(kind, options_text=""):
    """(value, label) of the answers an item offers (none for free text)."""
    if kind == ItemKind.SCALE4:
        return SCALE4_OPTIONS
    if kind == ItemKind.YES_NO:
        return YES_NO_OPTIONS
    if kind in (ItemKind.ONE_CHOICE, ItemKind.MULTI_CHOICE):
        lines = [line.strip() for line in (options_text or "").splitlines() if line.strip()]
        return [(line, line) for line in dict.fromkeys(lines)]
    return []


class QuestionnaireVersion(models.Model):
    """A frozen copy of a questionnaire: what was given to, and answered by, the young people."""

    questionnaire = models.ForeignKey(Questionnaire, verbose_name="questionnaire", on_delete=models.PROTECT,
                                      related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    content = models.JSONField("sections et questions")
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "version de questionnaire"
        verbose_name_plural = "versions de questionnaire"
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_version_once")]

    def __str__(self):
        return f"{self.questionnaire} — version {self.number}"

    def sections(self):
        return self.content.get("sections", [])

    def items(self):
        return [item for section in self.sections() for item in section["items"]]


class Survey(models.Model):
    """One questionnaire or survey due for one dossier at one horizon: created once, by the daily task
    (or at the return review), never ahead of time."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE,
                                related_name="surveys")
    horizon = models.CharField("moment", max_length=8, choices=Horizon.choices)
    due_date = models.DateField("dû le", db_index=True)
    version = models.ForeignKey(QuestionnaireVersion, verbose_name="version du questionnaire", null=True,
                                blank=True, on_delete=models.PROTECT, related_name="surveys")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "questionnaire ou enquête dû"
        verbose_name_plural = "questionnaires et enquêtes dus"
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "horizon"], name="survey_once_per_horizon")]

    def __str__(self):
        return f"{self.get_horizon_display()} — {self.dossier}"

    @property
    def is_questionnaire(self):
        return self.horizon == Horizon.RETURN

    @property
    def answered(self):
        return hasattr(self, "response")

    def get_space_url(self):
        from django.urls import reverse

        return reverse("surveys:answer", args=[self.pk])


class Response(models.Model):
    """The answers given once to a survey: by the young person in their space, or entered by staff from a
    phone call or a paper questionnaire (marked as such)."""

    survey = models.OneToOneField(Survey, verbose_name="questionnaire", on_delete=models.CASCADE,
                                  related_name="response")
    version = models.ForeignKey(QuestionnaireVersion, verbose_name="version répondue", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="responses")
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="saisi par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("répondu le", default=timezone.now)
    # The surveys at 12 and 36 months: the situation (the follow-up calls' categories) and life abroad.
    situation = models.CharField("situation", max_length=30, choices=Situation.choices, blank=True)
    employer = models.CharField("employeur ou organisme de formation", max_length=200, blank=True)
    abroad = models.BooleanField("vit ou travaille à l'étranger", null=True, blank=True)
    comment = models.TextField("message", blank=True)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        ordering = ["-answered_at"]

    def __str__(self):
        return f"Réponse — {self.survey}"

    @property
    def dossier(self):
        return self.survey.dossier

    @property
    def horizon(self):
        return self.survey.horizon


class Answer(models.Model):
    """One answer to one item: one row per chosen option (several for « plusieurs choix »), ``text`` for
    free text. ``item_code`` is the item's code in the version answered."""

    response = models.ForeignKey(Response, verbose_name="réponse", on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField("question", max_length=60)
    value = models.CharField("réponse choisie", max_length=200, blank=True)
    text = models.TextField("texte", blank=True)

    class Meta:
        verbose_name = "réponse à une question"
        verbose_name_plural = "réponses aux questions"
        constraints = [models.UniqueConstraint(fields=["response", "item_code", "value"], name="survey_answer_once")]

    def __str__(self):
        return f"{self.item_code} : {self.value or self.text[:40]}"
