"""Rate limits for what anyone on the internet can reach, counted in Django's cache.

Three kinds, each with its settings (see the README's "Configuration"):

* **Forms** (the host registration form): ``CARAVANA_FORM_RATE_PER_ADDRESS`` posts per
  client address and ``CARAVANA_FORM_RATE_GLOBAL`` from everyone together per
  ``CARAVANA_FORM_RATE_WINDOW`` seconds, so a botnet cannot flood the coordinators' queue
  either. Every post counts, also those with mistakes, which leaves room to correct a few.
* **Sign-ins** (the admin login, the API token endpoint): *failed* attempts are counted per
  address (``CARAVANA_LOGIN_RATE_PER_ADDRESS``) and per username
  (``CARAVANA_LOGIN_RATE_PER_USERNAME``) per ``CARAVANA_LOGIN_RATE_WINDOW``; past either
  limit the next attempt is refused before the password is even checked, so guessing
  one password from many addresses, or many passwords from one address, stops. The
  counts come from Django's ``user_login_failed`` signal, so every sign-in path that calls
  ``authenticate(request, ...)`` is counted, whichever view it goes through.
* **Secret links** (``/my/<token>/``, personal and team feeds, personal PDFs): a link
  that opens nothing counts as a guess, unless it is a link that was issued and later
  rotated or revoked (calendar apps keep polling those for months); past
  ``CARAVANA_LINK_RATE_UNKNOWN`` guesses per address per ``CARAVANA_LINK_RATE_WINDOW``,
  every secret link from that address is refused (also the right ones, or a refusal
  would tell a good guess from a bad one).
  ``CARAVANA_LINK_RATE_PER_ADDRESS`` caps all link requests per address, set generously
  so that a busload of phones polling their calendars behind one address is never refused.

A counter starts at its first attempt and expires ``window`` seconds later; a refused
client is told to wait the whole window (``Retry-After``). Addresses and usernames are
hashed, so the cache holds no personal data in the clear.

The client address is ``REMOTE_ADDR``, or, with ``CARAVANA_PROXY_COUNT`` reverse proxies in
front that append to ``X-Forwarded-For``, the address the outermost of them saw. A header a
client sends on its own is never believed beyond that count, since anyone can forge it.

With the local-memory cache (the default without ``REDIS_URL``) each worker process counts
on its own: the limits are then per process. The same holds while Redis cannot be reached
(``caravana.cache``): the counters move to the process's memory, so guessing stays limited
(per process) instead of failing open, and no request gets a 500 for it.
"""

from __future__ import annotations

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

PREFIX = "caravana:rate"


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _key(scope: str, who: str) -> str:
    return f"{PREFIX}:{scope}:{_digest(who)}"


def hit(scope: str, who: str, *, window: int) -> int:
    """Count one attempt of ``who``; the count so far in the window that it started."""
    key = _key(scope, who)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def attempts(scope: str, who: str) -> int:
    """The count so far, without adding to it."""
    return cache.get(_key(scope, who), 0)


def forget(scope: str, who: str) -> None:
    cache.delete(_key(scope, who))


def client_address(request) -> str:
    proxies = _setting("CARAVANA_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many_requests(request, *, message: str, wait: int):
    """The 429 page, in the visitor's language, saying how long to wait (also in Retry-After)."""
    minutes = max(1, math.ceil(wait / 60))
    response = render(
        request,
        "429.html",
        {
            "message": message,
            "wait": ngettext(
                "Please try again in %(minutes)d minute.",
                "Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "private, no-store"
    return response


# --- forms ---------------------------------------------------------------------------------


def _form_window() -> int:
    return _setting("CARAVANA_FORM_RATE_WINDOW", 3600)


def allow(request, scope: str) -> bool:
    """Count this form post; False when the address or everyone together is over the limit."""
    window = _form_window()
    mine = hit(f"form:{scope}", client_address(request), window=window)
    everyone = hit(f"form:{scope}", "*", window=window)
    return mine <= _setting("CARAVANA_FORM_RATE_PER_ADDRESS", 10) and everyone <= _setting(
        "CARAVANA_FORM_RATE_GLOBAL", 200
    )


def retry_after() -> int:
    """Seconds a refused form post is told to wait (the window)."""
    return _form_window()


# --- sign-ins ------------------------------------------------------------------------------

LOGIN = "login"
LOGIN_LOCKED = gettext_lazy(
    "Too many failed sign-ins from your connection or for this account. "
    "Signing in is paused for a while to protect the account."
)


def login_window() -> int:
    return _setting("CARAVANA_LOGIN_RATE_WINDOW", 900)


def _username(value) -> str:
    return f"user:{str(value or '').strip().casefold()}"


def _address(request) -> str:
    return f"address:{client_address(request)}"


def login_locked(request, username: str | None) -> bool:
    """True when this address, or this username, failed too often in the window."""
    if attempts(LOGIN, _address(request)) >= _setting("CARAVANA_LOGIN_RATE_PER_ADDRESS", 20):
        return True
    return bool(username) and attempts(LOGIN, _username(username)) >= _setting(
        "CARAVANA_LOGIN_RATE_PER_USERNAME", 10
    )


def login_refused(request):
    return too_many_requests(request, message=str(LOGIN_LOCKED), wait=login_window())


def count_failed_login(sender, credentials, request=None, **kwargs):
    """Receiver of ``user_login_failed``: one more failure for the address and the username."""
    window = login_window()
    username = credentials.get("username")
    if username:
        hit(LOGIN, _username(username), window=window)
    if request is not None:
        hit(LOGIN, _address(request), window=window)


def forget_failed_logins(username: str) -> None:
    """The account's owner got in: the username's count starts over.

    The address keeps its count: one good password does not buy a guesser more tries.
    """
    forget(LOGIN, _username(username))


def _logged_in(sender, request, user, **kwargs):
    forget_failed_logins(user.get_username())


def connect_signals() -> None:
    user_login_failed.connect(count_failed_login, dispatch_uid="caravana-count-failed-login")
    user_logged_in.connect(_logged_in, dispatch_uid="caravana-forget-failed-logins")


def login_throttled(view):
    """Refuse a sign-in post (429) while its address or username is locked out."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and login_locked(request, request.POST.get("username")):
            return login_refused(request)
        return view(request, *args, **kwargs)

    return wrapped


# --- secret links --------------------------------------------------------------------------

LINK_GUESS = "link-guess"
LINK_ANY = "link"


def link_window() -> int:
    return _setting("CARAVANA_LINK_RATE_WINDOW", 3600)


def _count_guess(address: str, token: str | None, *, window: int) -> None:
    """A 404 for a token that was never issued is a guess; a retired link's is not."""
    from journey.models import RetiredToken

    if not RetiredToken.objects.was_issued(token):
        hit(LINK_GUESS, address, window=window)


def secret_link(view):
    """Count requests to a secret-link view; a 404 counts as a guess. Refuse (429) past limits.

    The view answers 404 for a link that opens nothing (unknown, revoked, rotated, another
    journey's), and nothing else. A 404 for a token that was once issued and then rotated
    or revoked (``journey.models.RetiredToken``) is a calendar app polling an old
    subscription, not a guess, and is not counted; any other 404 is.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        address = client_address(request)
        window = link_window()
        guessing = attempts(LINK_GUESS, address) >= _setting("CARAVANA_LINK_RATE_UNKNOWN", 20)
        requests = hit(LINK_ANY, address, window=window)
        if guessing or requests > _setting("CARAVANA_LINK_RATE_PER_ADDRESS", 1200):
            return too_many_requests(
                request,
                message=_(
                    "Too many requests for personal links from your connection. "
                    "If you got your link from a coordinator, check that it is complete."
                ),
                wait=window,
            )
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            _count_guess(address, kwargs.get("token"), window=window)
            raise
        if response.status_code == 404:
            _count_guess(address, kwargs.get("token"), window=window)
        return response

    return wrapped
