"""Writes of projects, one module per concern: the project and its status (`projects`), the task tree (`tree`),
dates and dependencies (`schedule`), logged work (`work`), and making projects from other records or copies
(`creation`)."""
