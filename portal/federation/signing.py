"""RFC 9421 signatures (Ed25519) on federation messages, through the two libraries only.

Server side (http-message-signatures): `verify_request` authenticates a caller, `sign_response`
signs what we publish. Client side (requests-http-signature): `request_auth` signs our calls,
`verify_response` checks a publisher's answer against its pinned key.

The receiver's checks run in this order, each failing with its protocol code:
1. the Signature and Signature-Input fields are present and parse, with a keyid (bad_signature);
2. the keyid is a cluster we know as a peer in any state (unknown_peer, 401);
3. the signature verifies against that peer's pinned key, says alg="ed25519", covers "@method"
   "@target-uri" "content-digest", and the Content-Digest holds a sha-256 digest and matches
   the body (bad_signature);
4. `created` is within FEDERATION_CLOCK_SKEW of our clock, and `expires`, when present, is not
   past (stale_signature; RFC 9421 section 3.2);
5. the nonce is present and was not seen from that key in FEDERATION_NONCE_TTL (replayed);
6. the peer is confirmed, and its key has not changed since (not_peered, 403).
A caller learns that we know it only once it proved it holds the key.
"""
import datetime
import time
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import http_sf
from flask import current_app, request
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    InvalidSignature,
    MappingKeyResolver,
    algorithms,
)
from requests_http_signature import HTTPSignatureAuth

from portal.federation import keys

REQUEST_COMPONENTS = ("@method", "@target-uri", "content-digest")
RESPONSE_COMPONENTS = ("@status", "content-digest")
# The verifier's own clock checks are disabled: step 4 applies our skew with its own code.
_FOREVER = datetime.timedelta(days=36500)


class SignatureError(Exception):
    """A refused request, with the protocol's error code and HTTP status."""

    def __init__(self, code, message, status=401):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class Caller:
    cluster_id: str
    nonce: str
    created: int


class _LenientVerifier(HTTPMessageVerifier):
    max_clock_skew = _FOREVER


class _Fields:
    """Read-only header view exposing every field line, as the verifier expects."""

    def __init__(self, pairs):
        self._pairs = list(pairs)

    def items(self):
        return iter(self._pairs)

    def __iter__(self):
        return iter(dict.fromkeys(name for name, _ in self._pairs))

    def __contains__(self, name):
        return any(field.lower() == name.lower() for field, _ in self._pairs)


def target_uri():
    """The request's URI as the caller addressed it (scheme and host as seen through ProxyFix)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw or not raw.startswith("/"):
        raw = quote(request.script_root + request.path, safe="/:@!$&'()*+,;=-._~%")
        query = request.query_string.decode("latin-1")
        if query:
            raw += "?" + query
    return f"{request.scheme}://{request.host}{raw}"


def _origin(url):
    """(scheme, host, port) of a URL, the port made explicit: https://a.example is https://a.example:443."""
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def signature_keyid():
    """The keyid a request claims (unverified), or None when the fields do not parse."""
    value = request.headers.get("Signature-Input")
    if not value:
        return None
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary")
    except (ValueError, TypeError, UnicodeError):
        return None
    if len(parsed) != 1:
        return None
    member, params = next(iter(parsed.values()))
    keyid = params.get("keyid") if isinstance(member, list) else None
    return keyid if isinstance(keyid, str) else None


def verify_request(find_peer, seen_nonce):
    """Authenticate the current request; return the confirmed peer and the `Caller`.

    `find_peer(cluster_id)` returns a Peer or None; `seen_nonce(peer, nonce)` records the
    nonce and returns True when it was already there.
    """
    if "Signature" not in request.headers or "Signature-Input" not in request.headers:
        raise SignatureError("bad_signature", "the request is not signed")
    keyid = signature_keyid()
    if keyid is None:
        raise SignatureError("bad_signature", "Signature-Input must hold one signature with a keyid")
    peer = find_peer(keyid)
    if peer is None:
        raise SignatureError("unknown_peer", f"{keyid!r} is not a peer of this portal")
    if _origin(target_uri()) != _origin(current_app.config["BASE_URL"]):
        # A request signed for another portal (the signature covers @target-uri) and sent here.
        raise SignatureError("bad_signature", f"the request is addressed to {request.host!r}, not to this portal "
                                              f"({current_app.config['BASE_URL']})")
    result = _verify_with(keyid, keys.load_public(peer.public_key))
    created = result.parameters.get("created")
    skew = current_app.config["FEDERATION_CLOCK_SKEW"]
    if not isinstance(created, int):
        raise SignatureError("stale_signature", "the signature has no integer `created` time")
    now = time.time()
    if abs(now - created) > skew:
        raise SignatureError("stale_signature", clock_skew_message(created, now, skew))
    if expired(result.parameters):
        raise SignatureError("stale_signature", "the signature expired")
    if not isinstance(result.nonce, str) or not result.nonce:
        raise SignatureError("bad_signature", "the signature has no nonce")
    if seen_nonce(peer, result.nonce):
        raise SignatureError("replayed", "this nonce was already used")
    if peer.state != "confirmed":
        raise SignatureError("not_peered", f"{keyid!r} is not a confirmed peer of this portal", 403)
    if peer.new_public_key:  # PROTOCOL.md section 2: a changed key stops sync, both ways
        raise SignatureError("not_peered", f"the key of {keyid!r} changed: sync stops until an administrator "
                                           "of this portal confirms the new one", 403)
    return peer, Caller(keyid, result.nonce, created)


def clock_skew_message(created, now, skew):
    """Why a signature's `created` is refused, with both clocks in UTC and the gap between them,
    so that the operator of the other portal sees which clock to set."""
    gap = round(created - now)
    side = "ahead of" if gap > 0 else "behind"
    return (f"the signature was created at {utc_text(created)} by your clock, and it is {utc_text(now)} here: "
            f"your clock is {abs(gap)} s {side} ours, more than the {skew} s allowed (set both clocks by NTP)")


def utc_text(seconds):
    """A Unix time as ISO 8601 in UTC to the second ("2026-11-28T20:00:00Z"), or the bare number
    when no date can hold it (a signer's key can sign any `created`)."""
    try:
        return datetime.datetime.fromtimestamp(int(seconds), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return f"{seconds} (Unix time)"


def target_uris():
    """The request's URI as addressed, then, when it names no port, the same URI with its scheme's
    default port written out: RFC 9110 section 4.2.3 makes them one URI, and a signer may have
    covered the second in "@target-uri" while its HTTP client left the port out of Host (as
    Werkzeug leaves a default port out of `request.host`)."""
    uri = target_uri()
    parts = urlsplit(uri)
    if parts.port is not None:
        return [uri]
    default = {"http": 80, "https": 443}[parts.scheme]
    return [uri, parts._replace(netloc=f"{parts.netloc}:{default}").geturl()]


def _verify_with(keyid, public_key):
    verifier = _LenientVerifier(signature_algorithm=algorithms.ED25519,
                                key_resolver=MappingKeyResolver(public_keys={keyid: public_key},
                                                                private_keys={}))
    error = None
    for uri in target_uris():
        message = SimpleNamespace(method=request.method, url=uri, headers=_Fields(request.headers.items()))
        try:
            results = verifier.verify(message, max_age=None, require_components=REQUEST_COMPONENTS,
                                      body=request.get_data(cache=True))
            break
        except (InvalidSignature, HTTPMessageSignaturesException) as failed:
            error = error or failed  # the URI as addressed says best what went wrong
    else:
        raise SignatureError("bad_signature", "the signature does not verify: " + (
            str(error) or f"it was not made with the key this portal holds for {keyid!r} (a new key of "
                          "yours that this portal has not accepted yet, or a request changed on the way)")) from error
    if len(results) != 1 or results[0].parameters.get("keyid") != keyid:
        raise SignatureError("bad_signature", "exactly one signature by the caller is expected")
    # The verifier refuses another alg but lets a signature name none; PROTOCOL.md requires it.
    if results[0].parameters.get("alg") != algorithms.ED25519.algorithm_id:
        raise SignatureError("bad_signature", f'the signature must say alg="{algorithms.ED25519.algorithm_id}"')
    if not has_sha256_digest(request.headers.get("Content-Digest")):
        raise SignatureError("bad_signature", "the Content-Digest must hold a sha-256 digest")
    return results[0]


def has_sha256_digest(value):
    """Whether a Content-Digest field holds the sha-256 digest PROTOCOL.md asks for (the verifier
    checks whichever digests it holds, a sha-512 one alone too)."""
    try:
        return "sha-256" in http_sf.parse((value or "").encode("latin-1"), tltype="dictionary")
    except (ValueError, TypeError, UnicodeError):
        return False


def expired(parameters):
    """True when the signature's `expires` (optional, RFC 9421) is past, with no clock skew
    allowed, or is no integer (a signer's own key can sign any parameter)."""
    expires = parameters.get("expires")
    if expires is None:
        return False
    return type(expires) is not int or expires <= time.time()


def sign_response(response, cluster_id=None, private_key=None):
    """Add Content-Digest, Signature-Input and Signature (by our key) to a Flask response."""
    message = SimpleNamespace(status_code=response.status_code, headers={}, request=None)
    cluster_id = cluster_id or current_app.config["CLUSTER_ID"]
    private_key = private_key or keys.private_key()
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519,
                               key_resolver=MappingKeyResolver(
                                   public_keys={}, private_keys={cluster_id: private_key}))
    signer.sign(message, key_id=cluster_id, covered_component_ids=RESPONSE_COMPONENTS,
                body=response.get_data())
    for name, value in message.headers.items():
        response.headers[name] = value
    return response


# --- client side -----------------------------------------------------------------------


class _PeerVerifier(HTTPMessageVerifier):
    """Tolerates the same clock skew as a receiver does."""

    max_clock_skew = datetime.timedelta(seconds=300)


class PeerAuth(HTTPSignatureAuth):
    verifier_class = _PeerVerifier


def request_auth(cluster_id=None, private_key=None):
    """A requests auth object signing our calls as the protocol says."""
    cluster_id = cluster_id or current_app.config["CLUSTER_ID"]
    private_key = private_key or keys.private_key()
    resolver = MappingKeyResolver(public_keys={}, private_keys={cluster_id: private_key})
    return PeerAuth(signature_algorithm=algorithms.ED25519, key_resolver=resolver, key_id=cluster_id,
                    covered_component_ids=REQUEST_COMPONENTS, use_nonce=True)


def verify_response(response, cluster_id, public_key_b64, skew=300):
    """Check a publisher's answer against its pinned key; raise InvalidSignature otherwise."""
    resolver = MappingKeyResolver(public_keys={cluster_id: keys.load_public(public_key_b64)},
                                  private_keys={})
    try:
        result = PeerAuth.verify(response, require_components=RESPONSE_COMPONENTS,
                                 signature_algorithm=algorithms.ED25519, key_resolver=resolver,
                                 max_age=datetime.timedelta(seconds=skew))
    except HTTPMessageSignaturesException as error:
        raise InvalidSignature(str(error)) from error
    if result.parameters.get("keyid") != cluster_id or result.body is None:
        raise InvalidSignature("the response is not signed by the peer over its body")
    if not has_sha256_digest(response.headers.get("Content-Digest")):
        raise InvalidSignature("the response's Content-Digest holds no sha-256 digest")
    if expired(result.parameters):  # the verifier lets `expires` be up to its clock skew past
        raise InvalidSignature("the response's signature expired")
    return result
