"""The curriculum as loaded from content/. Rows are never deleted: a module removed from the
files is marked inactive so that learners' progress keeps pointing at something."""

from django.db import models

from .enums import QUESTION_KINDS, Journey, Level, StepKind


class ContentRelease(models.Model):
    version = models.CharField(max_length=32)
    loaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at"]


class Track(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    journey = models.CharField(max_length=20, choices=Journey.choices)
    order = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="modules")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    duration_minutes = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.DEBUTANT)
    themes = models.JSONField(default=list)
    competences = models.JSONField(default=list)
    objectives = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    simulators = models.JSONField(default=list)
    checked_on = models.DateField()
    trainer_guide = models.JSONField(null=True, blank=True)
    content_version = models.CharField(max_length=32)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["track__order", "position"]

    def __str__(self) -> str:
        return self.title

    @property
    def step_count(self) -> int:
        return self.steps.filter(is_active=True).count()


class Step(models.Model):
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="steps")
    slug = models.SlugField(max_length=80)
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    title = models.CharField(max_length=300)
    body_html = models.TextField(blank=True)
    image = models.CharField(max_length=120, blank=True)
    image_alt = models.CharField(max_length=300, blank=True)
    # For questions: {"choices": [{"text", "correct", "image", "image_alt"}], "explanation": str}
    data = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["module", "position"]
        constraints = [models.UniqueConstraint(fields=["module", "slug"], name="unique_step_slug_in_module")]

    def __str__(self) -> str:
        return f"{self.module.slug}/{self.slug}"

    @property
    def is_question(self) -> bool:
        return self.kind in QUESTION_KINDS


class ModuleAsset(models.Model):
    """An SVG illustration of a module, served with a versioned, cacheable URL."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(max_length=120)
    content = models.TextField()
    sha = models.CharField(max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "name"], name="unique_asset_name_in_module")]
