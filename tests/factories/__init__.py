"""factory_boy factories for the platform and the sections."""

from .activities import ActivityFactory, ParticipantFactory
from .core import UserFactory
from .customers import AccountFactory, ContactFactory
from .feed import ChannelFactory, CommentFactory, FollowFactory, LikeFactory, PostFactory
from .products import ProductFactory, ProductPriceFactory, ProductUnitFactory

__all__ = [
    "AccountFactory",
    "ActivityFactory",
    "ChannelFactory",
    "CommentFactory",
    "ContactFactory",
    "FollowFactory",
    "LikeFactory",
    "ParticipantFactory",
    "PostFactory",
    "ProductFactory",
    "ProductPriceFactory",
    "ProductUnitFactory",
    "UserFactory",
]
