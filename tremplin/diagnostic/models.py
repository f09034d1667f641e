"""Competence framework, item bank (every version kept) and diagnostic sessions.

Items are never deleted: an item removed from the files is marked inactive, and an edited item
gets a new version row, so an answer always points at exactly what the learner was shown.
"""

import uuid

from django.conf import settings
from django.db import models

from .enums import LevelName, SessionMode, SessionStatus


class Competence(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    crcn = models.JSONField(default=list)
    digcomp = models.JSONField(default=list)
    # {"debutant": {"can_do": [...]}, ...}
    levels = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class DiagnosticImage(models.Model):
    name = models.CharField(max_length=120, unique=True)
    content = models.TextField()
    sha = models.CharField(max_length=16)


class DiagnosticItem(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    current = models.ForeignKey("DiagnosticItemVersion", on_delete=models.PROTECT, null=True, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["competence__position", "position"]

    def __str__(self) -> str:
        return self.slug


class DiagnosticItemVersion(models.Model):
    item = models.ForeignKey(DiagnosticItem, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=16)
    level = models.CharField(max_length=12, choices=LevelName.choices)
    kind = models.CharField(max_length=12)
    # The item as written: prompt, choices, image, image_alt, field_label, answers.
    data = models.JSONField(default=dict)
    prior_difficulty = models.FloatField()
    difficulty = models.FloatField()
    discrimination = models.FloatField()
    n_answers = models.PositiveIntegerField(default=0)
    calibrated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="one_row_per_item_version")]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.version}"


class DiagnosticSession(models.Model):
    """One sitting of the diagnostic (it may span days: it is resumed where it stopped)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diagnostics")
    mode = models.CharField(max_length=12, choices=SessionMode.choices, default=SessionMode.ALONE)
    status = models.CharField(max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    profile = models.JSONField(null=True, blank=True)  # None until the learner answered or skipped
    # {competence_slug: {"level", "theta", "sd", "n"}} once completed
    results = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "status", "completed_at"], name="diag_session_learner")]
        constraints = [
            models.UniqueConstraint(fields=["learner"], condition=models.Q(status="in_progress"),
                                    name="one_open_diagnostic_per_learner"),
        ]

    @property
    def is_completed(self) -> bool:
        return self.status == SessionStatus.COMPLETED


class DiagnosticAnswer(models.Model):
    """One answer; (session, item) is unique so replays and double submits count once."""

    session = models.ForeignKey(DiagnosticSession, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(DiagnosticItem, on_delete=models.PROTECT, related_name="+")
    item_version = models.ForeignKey(DiagnosticItemVersion, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    correct = models.BooleanField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "item"], name="one_answer_per_item_and_session")]


class FrameworkRelease(models.Model):
    """What each load of the files brought that is not a competence or an item."""

    version = models.CharField(max_length=16)
    paper_form = models.JSONField(default=list)  # item slugs of the fixed paper form, in order
    profile_questions = models.JSONField(default=list)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
