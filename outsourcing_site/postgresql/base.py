"""Django's PostgreSQL backend, which stops trying a database it has just found not answering.

Settings use it for every PostgreSQL ``DATABASE_URL``. While ``outsourcing_site.database.outage`` is
known, a new connection fails at once (one attempt per retry interval finds out whether the database is
back) and an open one counts as unusable, so requests get their 503 page at once instead of each waiting
out the connect timeout: the server's threads stay free for cached pages and static files.
"""

from django.db.backends.postgresql import base

from outsourcing_site.database import outage


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not outage.may_try():
            raise self.Database.OperationalError("The database did not answer a moment ago; not trying again yet.")
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.OperationalError:
            outage.begin()
            raise
        outage.end()
        return connection

    def is_usable(self):
        return not outage.known() and super().is_usable()
