"""Simulators loaded from content/simulators/, and learners' attempts at them.

An attempt keeps only its outcome (mode, score, errors, hints, duration): what the learner typed
lives in the session while the attempt runs and is discarded when it ends.
"""

import uuid

from django.conf import settings
from django.db import models

from .enums import Mode, Outcome


class Simulator(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    site_name = models.CharField(max_length=120)
    # The validated file (SimulatorFile.model_dump(mode="json")); the engine reads it back.
    definition = models.JSONField()
    content_version = models.CharField(max_length=32)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title


class SimulatorAttempt(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="simulator_attempts")
    simulator = models.ForeignKey(Simulator, on_delete=models.PROTECT, related_name="attempts")
    content_version = models.CharField(max_length=32)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    screen = models.SlugField(max_length=80)  # where the learner is (a slug of the file, not a value typed)
    errors_count = models.PositiveIntegerField(default=0)
    hints_used = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)  # 0..1, check mode only
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["learner", "-started_at"], name="attempt_learner_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=1),
                                   name="attempt_score_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.simulator_id} {self.mode} {self.outcome}"

    @property
    def is_finished(self) -> bool:
        return self.outcome != Outcome.IN_PROGRESS

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)
