"""The transactional side of rekam (issue 8): users and roles, service points, service
events, queue tickets, the blanko ledger, end-of-day reconciliation, SIAK follow-up and the
ops audit log. SQLAlchemy 2 models, Alembic migrations run when the database is opened;
a SQLite file in REKAM_HOME by default, PostgreSQL through REKAM_DATABASE_URL.

    db.py          the database URL, engines (SQLite: WAL, synchronous=FULL, BEGIN IMMEDIATE), migrations
    models.py      the tables
    passwords.py   argon2id password hashes
    scope.py       roles and what each may read, write and manage
    regions.py     region codes given to ops: valid and in the Kemendagri 2025 list
    users.py       users: add, list, disable, reset password, authenticate
    points.py      service points
    residents.py   a resident's KTP-el status: the current snapshot plus the events logged after it
    lookup.py      finding a resident by NIK or by name and birth date (audited)
    idempotency.py client idempotency keys: same key + same body = the stored row, else a conflict
    events.py      service events and their rules (duplicate warning, print refusals, blanko use)
    queue.py       queue tickets per service point and day
    blanko.py      the blanko ledger, physical counts
    reconcile.py   end-of-day reconciliation per service point
    followup.py    cases for SIAK follow-up
    audit.py       the ops audit log of by-name lookups
    migrations/    Alembic environment and revisions (shipped in the package)

docs/ops.md gives the rules and the choices.
"""
