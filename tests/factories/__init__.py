"""factory_boy factories for the platform and the sections."""

from .activities import ActivityFactory, ParticipantFactory
from .core import UserFactory
from .customers import AccountFactory, ContactFactory
from .feed import ChannelFactory, CommentFactory, FollowFactory, LikeFactory, PostFactory
from .leads import LeadFactory, LeadProductFactory, WebFormFactory
from .opportunities import CompetitorFactory, OpportunityContactFactory, OpportunityFactory
from .products import ProductFactory, ProductPriceFactory, ProductUnitFactory

__all__ = [
    "AccountFactory",
    "ActivityFactory",
    "ChannelFactory",
    "CompetitorFactory",
    "OpportunityContactFactory",
    "OpportunityFactory",
    "CommentFactory",
    "ContactFactory",
    "FollowFactory",
    "LeadFactory",
    "LeadProductFactory",
    "LikeFactory",
    "ParticipantFactory",
    "PostFactory",
    "ProductFactory",
    "ProductPriceFactory",
    "ProductUnitFactory",
    "UserFactory",
    "WebFormFactory",
]
