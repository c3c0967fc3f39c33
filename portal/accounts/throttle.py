"""Failed log-ins slow an account down, exponentially and never beyond 15 minutes.

The login view asks `delay_for(user)` before checking the password (and refuses while it
is positive), calls `record_failure(user)` on a wrong password and `record_success(user)`
on a right one; the view commits. Nothing here locks an owner out for good: the delay is
capped, and the first few mistakes cost nothing.
"""
from datetime import timedelta

from portal.timeutil import utcnow

#: Mistakes that cost nothing (a typo, a caps-lock).
FREE_FAILURES = 3
#: The delay after the first paid failure; it doubles with each further one.
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)


def penalty(failures):
    """How long an account waits after its `failures`-th consecutive failure."""
    paid = failures - FREE_FAILURES
    if paid <= 0:
        return timedelta(0)
    if paid > 20:  # 2**20 * 2 s is far past the cap; keeps the arithmetic small
        return MAX_DELAY
    return min(FIRST_DELAY * 2 ** (paid - 1), MAX_DELAY)


def record_failure(user, now=None):
    """Count a wrong password and set when the account may try again."""
    now = now or utcnow()
    user.failed_logins = (user.failed_logins or 0) + 1
    wait = penalty(user.failed_logins)
    user.locked_until = now + wait if wait else None
    return wait


def record_success(user):
    """A right password clears the count."""
    user.failed_logins = 0
    user.locked_until = None


def delay_for(user, now=None):
    """How long `user` must still wait before the next attempt (zero when free to try)."""
    if user is None or user.locked_until is None:
        return timedelta(0)
    return max(user.locked_until - (now or utcnow()), timedelta(0))
