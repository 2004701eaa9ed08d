"""The opportunities' own pages: moving along the process, the product selection, the kanban pipeline and the
pipeline analytics."""

from .pipeline import analytics, kanban, kanban_column
from .records import move, select_products

__all__ = ["analytics", "kanban", "kanban_column", "move", "select_products"]
