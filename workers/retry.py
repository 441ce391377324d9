"""Job retries with backoff under arq: a failed try raises arq's Retry with a growing delay.

Outside arq (embedded mode) there is no job_try in ctx; the error propagates and the caller's
loop runs the job again on its next tick.
"""

import functools
import logging

from arq import Retry

log = logging.getLogger(__name__)
MAX_TRIES = 5
BASE_SECONDS = 2
CAP_SECONDS = 120


def backoff_seconds(job_try: int) -> int:
    return min(BASE_SECONDS * 2 ** (job_try - 1), CAP_SECONDS)


def retrying(job):
    """Wrap a job so that an error is retried after a backoff, up to MAX_TRIES tries."""

    @functools.wraps(job)
    async def run(ctx: dict):
        try:
            return await job(ctx)
        except Retry:
            raise
        except Exception as exc:
            job_try = ctx.get("job_try")
            if job_try is None or job_try >= MAX_TRIES:
                raise
            log.warning("%s failed (try %s), retrying: %r", job.__name__, job_try, exc)
            raise Retry(defer=backoff_seconds(job_try)) from exc

    return run
