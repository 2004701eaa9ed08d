"""factory_boy factories for the platform and the sections."""

from .core import UserFactory
from .customers import AccountFactory, ContactFactory

__all__ = ["AccountFactory", "ContactFactory", "UserFactory"]
