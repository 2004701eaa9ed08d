"""The access screens under /access/: users, roles and members, the four kinds of rights, delegations, the audit
log, and the "Access" tab of every record page. Only users who may manage users and roles see the screens."""
