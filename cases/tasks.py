"""Background tasks (django-tasks, database backend): run by `python manage.py db_worker`.

The database backend keeps the queue in a table of our own database, so SQLite (the embedded
default) and PostgreSQL both work with no broker or extra server; `make run` starts a worker
beside the web server.
"""

from django_tasks import task

from . import uploads


@task()
def run_upload_job(job_id: int) -> dict:
    """Turn the files of an upload job into draft articles (cases.uploads.run_job)."""
    return uploads.run_job(job_id)
