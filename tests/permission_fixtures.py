"""The permissions file the sign-in tests use: an editor of the sales department, two
approvers, one who may approve their own changes, a viewer and an administrator."""

TEAM_PERMISSIONS = """\
default: viewer
users:
  - email: ed@example.org
    role: editor
    departments: [sales]
  - email: ap@example.org
    role: approver
  - email: ap2@example.org
    role: approver
  - email: own@example.org
    role: approver
    approve_own: true
  - email: view@example.org
    role: viewer
  - email: admin@example.org
    role: admin
"""
