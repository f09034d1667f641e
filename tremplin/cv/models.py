"""A learner's CV. The content is one JSON document validated by ``schema.CVData``: a CV is read and
written whole, never queried field by field, and the schema keeps it on one page."""

import uuid

from django.conf import settings
from django.db import models


class CV(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "CV"

    def __str__(self) -> str:
        return f"CV {self.id}"
