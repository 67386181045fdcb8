"""The tenant boundary: which Microsoft 365 tenants may read the directory.

Plain Python (no botbuilder, no aiohttp). Teams names the sender's tenant in
channelData.tenant.id; activity.conversation.tenant_id is never set for Teams, and a payload
without channelData.tenant (the Emulator, Web Chat, a forged request) has no tenant at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TenantPolicy:
    """The tenants allowed in; an empty set lets every tenant in (local development only)."""

    allowed: frozenset[str]

    @classmethod
    def of(cls, tenant_ids: Iterable[str]) -> TenantPolicy:
        """Build the policy from tenant ids in any letter case."""
        return cls(frozenset(tenant.strip().lower() for tenant in tenant_ids if tenant.strip()))

    @property
    def open(self) -> bool:
        """Say whether every tenant is let in."""
        return not self.allowed

    def allows(self, tenant_id: str | None) -> bool:
        """Say whether a request from `tenant_id` (None: no tenant named) may read the directory."""
        if self.open:
            return True
        return tenant_id is not None and tenant_id.strip().lower() in self.allowed


def tenant_from_channel_data(channel_data: object) -> str | None:
    """Return channelData.tenant.id as Teams sends it, or None when it is absent or not a string."""
    if not isinstance(channel_data, dict):
        return None
    tenant = channel_data.get("tenant")
    if not isinstance(tenant, dict):
        return None
    tenant_id = tenant.get("id")
    return tenant_id if isinstance(tenant_id, str) and tenant_id.strip() else None
