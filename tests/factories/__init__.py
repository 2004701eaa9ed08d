"""factory_boy factories for the platform and the sections."""

from .activities import ActivityFactory, ParticipantFactory
from .contracts import ContractFactory
from .core import UserFactory
from .custom_sections import SiteVisitFactory
from .customers import AccountFactory, ContactFactory
from .documents import DocumentFactory
from .feed import ChannelFactory, CommentFactory, FollowFactory, LikeFactory, PostFactory
from .invoices import InvoiceFactory
from .knowledge import ArticleFactory, ArticleGroupFactory
from .leads import LeadFactory, LeadProductFactory, WebFormFactory
from .opportunities import CompetitorFactory, OpportunityContactFactory, OpportunityFactory
from .orders import OrderFactory
from .products import ProductFactory, ProductPriceFactory, ProductUnitFactory
from .projects import EmployeeRateFactory, ProjectFactory, ProjectTaskFactory, ResourceFactory

__all__ = [
    "AccountFactory",
    "ActivityFactory",
    "ArticleFactory",
    "ArticleGroupFactory",
    "ChannelFactory",
    "CompetitorFactory",
    "ContractFactory",
    "OpportunityContactFactory",
    "OpportunityFactory",
    "OrderFactory",
    "CommentFactory",
    "ContactFactory",
    "DocumentFactory",
    "FollowFactory",
    "InvoiceFactory",
    "LeadFactory",
    "LeadProductFactory",
    "LikeFactory",
    "ParticipantFactory",
    "PostFactory",
    "ProductFactory",
    "ProductPriceFactory",
    "ProductUnitFactory",
    "ProjectFactory",
    "ProjectTaskFactory",
    "ResourceFactory",
    "EmployeeRateFactory",
    "SiteVisitFactory",
    "UserFactory",
    "WebFormFactory",
]
