from tremplin.accounts.models import User

from .models import AuditEntry


def audit_log(*, actor: User | None, action: str, target_type: str = "", target_id: object = "",
              organisation_id=None, detail: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(actor=actor if actor and actor.is_authenticated else None, action=action,
                                     target_type=target_type, target_id=str(target_id or ""),
                                     organisation_id=organisation_id, detail=detail or {})
