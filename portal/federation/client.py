"""Calling a peer: `info`, signed `changes`, `digest` and `notify`, with answers checked."""
import email.utils
import re
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import orjson
import requests
import urllib3
from flask import current_app, has_request_context
from http_message_signatures import InvalidSignature

from portal.federation import keys, signing
from portal.federation.models import is_seq
from portal.instance import is_cluster_id

#: PROTOCOL.md section 3: JSON in and out, of this type.
JSON_TYPE = "application/json; charset=utf-8"
_local = threading.local()


class PeerError(Exception):
    """A call to a peer failed; `retry_after` (seconds) when the peer said when to come back."""

    def __init__(self, message, retry_after=None, status=None):
        super().__init__(message)
        self.retry_after, self.status = retry_after, status


class Unreachable(PeerError):
    """Nothing answered at the address (refused, timed out, no such host, TLS failed)."""


def http():
    """One keep-alive session per thread. It asks peers not to compress: a compressed answer
    would have to be kept encoded for its digest and decoded for us, each under the size cap.
    Calls pass allow_redirects=False: a peer answers at its own address, and a redirect would
    let a pinned peer send our signed calls to any other host (read_capped refuses one)."""
    if getattr(_local, "session", None) is None:
        session = requests.Session()
        session.headers["Accept-Encoding"] = "identity"
        _local.session = session
    return _local.session


def normalise_url(url):
    """Scheme and host in lower case, no default port, no trailing slash, no query."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PeerError(f"{url!r} is not an http(s) URL")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if parts.port and parts.port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/"), "", ""))


def endpoint(base_url, name):
    return f"{base_url.rstrip('/')}/federation/v1/{name}"


def timeout():
    return current_app.config["FEDERATION_TIMEOUT"]


def fetch_info(base_url):
    """A peer's `info`, checked: protocol, cluster id, and a fingerprint matching its key."""
    try:
        response = http().get(endpoint(base_url, "info"), timeout=timeout(), stream=True, allow_redirects=False)
        read_capped(response)
    except requests.RequestException as error:
        raise Unreachable(f"cannot reach {base_url}: {why(error)}") from error
    info = _json(response)
    if not isinstance(info, dict):
        raise PeerError(f"{base_url} answered an invalid info document: it is no JSON object")
    try:
        if info.get("protocol") != "fp1":
            raise ValueError(f"protocol {info.get('protocol')!r} is not fp1")
        if not is_cluster_id(info.get("cluster_id")):
            raise ValueError("cluster_id is missing or malformed")
        keys.load_public(info["public_key"])
        if keys.fingerprint(info["public_key"]) != info.get("fingerprint"):
            raise ValueError("the fingerprint does not match the public key")
        if not isinstance(info.get("epoch"), str) or not isinstance(info.get("name"), str):
            raise ValueError("name or epoch is missing")
    except (KeyError, TypeError, ValueError) as error:
        raise PeerError(f"{base_url} answered an invalid info document: {error}") from error
    return info


def signed_call(peer, method, name, params=None, body=None, timeout_s=None, verify=True, raw=False, answer=True):
    """A signed request to `peer`; a signed answer is checked against the pinned key.

    With `raw`, the answer comes back with its body's bytes; without `answer`, a success's body
    is not read as JSON (None comes back).
    """
    kwargs = {"params": params, "auth": signing.request_auth(), "timeout": timeout_s or timeout(), "stream": True,
              "allow_redirects": False}
    if body is not None:
        kwargs["json"], kwargs["headers"] = body, {"Content-Type": JSON_TYPE}
    try:
        response = http().request(method, endpoint(peer.base_url, name), **kwargs)
        read_capped(response)
        if response.status_code >= 300:
            _json(response)  # raises with the peer's error
        if verify:
            skew = current_app.config["FEDERATION_CLOCK_SKEW"]
            try:
                signing.verify_response(response, peer.cluster_id, peer.public_key, skew)
            except InvalidSignature as error:
                if _parsed(response) is None:  # a proxy's page signs nothing: its being no JSON says more
                    raise PeerError(not_json(response)) from error
                raise PeerError("the answer's signature does not verify: " + (
                    str(error) or "it was not made with the key we hold for this peer (a new key of theirs "
                                  "not accepted here yet, or an answer changed on the way)")) from error
        if not answer:
            return None
        data = _json(response)
        return (data, response.content) if raw else data
    except requests.RequestException as error:
        raise PeerError(f"{peer.cluster_id}: {why(error)}") from error


#: The operating system's words in a connection error: "[Errno 111] Connection refused".
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def why(error):
    """A failed HTTP call in words an administrator reads ("cannot connect to a.example:443
    (connection refused)"), not the library's chain of exceptions."""
    url = error.request.url if getattr(error, "request", None) is not None else ""
    host = urlsplit(url).netloc or "the peer"
    if isinstance(error, requests.Timeout):
        return f"no answer from {host} in time"
    if isinstance(error, requests.exceptions.SSLError):
        return f"the TLS connection to {host} failed (certificate or protocol)"
    if isinstance(error, requests.ConnectionError):
        reason = _ERRNO.search(str(error))
        return f"cannot connect to {host}" + (f" ({reason[1].strip().lower()})" if reason else "")
    return f"{type(error).__name__}: {error}"


def get_changes(peer, since, limit, epoch=None):
    """A checked feed page, and whether no string in it can hold a NUL character (see `nul_free`).

    `epoch` is the one the cursor `since` belongs to. A page of another epoch only tells the
    caller to pull again from 0 (PROTOCOL.md section 3): a restored publisher's head may well
    be below the old cursor, so such a page is not held to it."""
    page, body = signed_call(peer, "GET", "changes", {"since": since, "limit": limit}, raw=True)
    ok = (isinstance(page, dict) and page.get("cluster_id") == peer.cluster_id
          and isinstance(page.get("epoch"), str) and is_seq(page.get("next"))
          and isinstance(page.get("has_more"), bool) and isinstance(page.get("changes"), list))
    if not ok:
        raise PeerError("the feed page is malformed (cluster_id, epoch, next, has_more, changes)")
    if since and page["epoch"] != epoch:
        return page, nul_free(body)
    if page["next"] < since:
        raise PeerError(f"the feed went backwards (next {page['next']} < since {since})")
    if page["has_more"] and page["next"] == since:
        # Asking again would get the same answer: the pull would go round for ever.
        raise PeerError(f"the feed says it has more but moved no further than {since}")
    return page, nul_free(body)


def nul_free(body):
    """True when no string decoded from the JSON `body` can hold a NUL: in UTF-8 without a zero
    byte (UTF-16 and UTF-32 have them), a NUL can only be written as the escape \\u0000.
    Two scans of the bytes spare the receiver a walk over every string of a clean page."""
    return b"\x00" not in body and b"\\u0000" not in body


def get_digest(peer):
    answer = signed_call(peer, "GET", "digest")
    for side in ("published", "replica"):
        part = answer.get(side) if isinstance(answer, dict) else None
        if not isinstance(part, dict) or not is_seq(part.get("count")) or not isinstance(part.get("sha256"), str):
            raise PeerError("the digest answer is malformed")
    return answer


def post_notify(peer, seq, timeout_s):
    """PROTOCOL.md gives `notify` an answer's status (202) and no body: any success will do."""
    return signed_call(peer, "POST", "notify", body={"cluster_id": current_app.config["CLUSTER_ID"],
                                                     "seq": seq}, timeout_s=timeout_s, verify=False, answer=False)


def read_capped(response):
    """Read the answer's body, at most FEDERATION_MAX_ANSWER bytes in FEDERATION_ANSWER_TIMEOUT
    seconds (FEDERATION_PAGE_TIMEOUT while someone waits on a page: gunicorn would end the request
    first): a peer (or an address an administrator is trying) can neither fill our memory nor
    hold a pull by trickling its answer (FEDERATION_TIMEOUT bounds each socket read, not the whole)."""
    try:
        if response.is_redirect:
            raise PeerError(f"the answer is a redirect (HTTP {response.status_code}) to "
                            f"{response.headers.get('Location')!r}: a portal answers at its own base URL "
                            "(use that address)")
        if response.headers.get("Content-Encoding", "identity").lower() != "identity":
            raise PeerError(f"the answer is compressed ({response.headers['Content-Encoding']}) although we asked for none")
        config = current_app.config
        limit = config["FEDERATION_MAX_ANSWER"]
        seconds = config["FEDERATION_PAGE_TIMEOUT" if has_request_context() else "FEDERATION_ANSWER_TIMEOUT"]
        deadline, size, chunks = time.monotonic() + seconds, 0, []
        while chunk := response.raw.read1(64 * 1024):  # one socket read at a time
            size += len(chunk)
            if size > limit:
                raise PeerError(f"the answer is larger than {limit:,} bytes")
            if time.monotonic() > deadline:
                raise PeerError(f"the answer took longer than {seconds} s to arrive")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:  # read below requests: its errors come unwrapped
        response.close()
        raise PeerError(f"the answer broke off: {type(error).__name__}: {error}") from error
    except PeerError:
        response.close()
        raise
    response._content, response._content_consumed = b"".join(chunks), True  # as requests keeps a read body


def _json(response):
    """The body (UTF-8, as the protocol says) as JSON, or a PeerError describing the failure
    (with Retry-After on 429/503)."""
    data = _parsed(response)
    if response.status_code >= 300:
        error = data.get("error") if isinstance(data, dict) else None
        detail = (f"{error.get('code')}: {error.get('message')}" if isinstance(error, dict)
                  else f"no error body, {media_type(response)}")
        raise PeerError(f"HTTP {response.status_code} ({detail})",
                        retry_after=retry_after(response.headers.get("Retry-After")),
                        status=response.status_code)
    if data is None:
        raise PeerError(not_json(response))
    return data


def _parsed(response):
    """The body as JSON, or None when it is none."""
    try:
        return orjson.loads(response.content)
    except ValueError:  # orjson.JSONDecodeError is one
        return None


def media_type(response):
    """The answer's media type without its parameters ("text/html"), or what stands for none."""
    value = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return value or "no Content-Type"


def not_json(response):
    """Why a successful answer is refused when its body is no JSON, in an administrator's words: a page
    of HTML is what a proxy or a web server that is not the portal answers at a wrong address."""
    kind = media_type(response)
    why = ("its body does not parse as JSON" if kind.endswith("json") else
           "something other than a portal answered (a proxy, or a web server at the wrong address?): "
           "check the peer's address and its proxy")
    return f"the answer is not JSON (HTTP {response.status_code}, {kind}): {why}"


#: The longest wait a peer's Retry-After gets (a day): past it, a typo or a hostile value would
#: park the peer for years (or overflow the date of the next try).
RETRY_AFTER_MAX = 86400


def retry_after(value):
    """Seconds from a Retry-After field (delta-seconds or an HTTP date), at most a day, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(int(value), RETRY_AFTER_MAX)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(0, int(moment.timestamp() - time.time())), RETRY_AFTER_MAX)
