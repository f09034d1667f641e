"""``cached_db`` sessions (database, with a copy in the shared cache) with one write per sign-in: see sessions.py."""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore

from .sessions import OneWriteSignIn


class SessionStore(OneWriteSignIn, CachedDatabaseSessionStore):
    pass
