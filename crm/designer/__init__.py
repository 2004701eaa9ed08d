"""The system designer: custom fields on any section (kept in each record's `custom` JSON), and later custom
sections, the detail wizard, workplaces and the mobile layout."""
