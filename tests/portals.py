"""Federation test helpers: signing peers in-process, and real portals as subprocesses."""
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portal.federation import keys, signing


class FakePeer:
    """A cluster with its own key that signs requests as a peer portal would."""

    def __init__(self, cluster_id="peer-b", key=None):
        self.cluster_id = cluster_id
        self.key = key or Ed25519PrivateKey.generate()
        self.public_key = keys.public_key_b64(self.key.public_key())
        self.fingerprint = keys.fingerprint(self.public_key)

    def pin(self, session, state="confirmed", base_url="http://peer-b.example"):
        """Store this peer in the database `session` belongs to."""
        from portal.federation.models import Peer

        peer = Peer(cluster_id=self.cluster_id, name=self.cluster_id.title(), base_url=base_url,
                    public_key=self.public_key, fingerprint=self.fingerprint, state=state)
        session.add(peer)
        session.commit()
        return peer

    def auth(self):
        return signing.request_auth(self.cluster_id, self.key)

    def headers(self, method, url, body=None, json=None):
        """The headers a signed request for `url` carries (sign with requests-http-signature)."""
        prepared = requests.Request(method, url, data=body, json=json).prepare()
        self.auth()(prepared)
        return dict(prepared.headers), prepared.body


def signed_open(client, peer, method, url, json=None, body=None, headers=None):
    """Send a signed request through a Flask test client; `url` is absolute (host matters)."""
    signed, data = peer.headers(method, url, body=body, json=json)
    signed.update(headers or {})
    return client.open(url, method=method, headers=signed, data=data)


class FakePublisher(FakePeer):
    """A peer portal in a thread of the test process: serves `info` and a signed feed.

    `changes` is the feed (a list of change dicts; seq is taken from each); `behaviour`
    is a list of what the next `changes` calls do instead of answering well:
    "500", "429", "garbage", "truncated", "badsig", or a callable(since, limit) -> page.
    """

    def __init__(self, cluster_id="peer-b", epoch="epoch-1"):
        super().__init__(cluster_id)
        self.changes, self.behaviour, self.calls, self.epoch = [], [], [], epoch
        self.retry_after = "7"
        self.server = self.thread = None

    def start(self):
        import threading

        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, self.wsgi)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def info(self):
        return {"protocol": "fp1", "cluster_id": self.cluster_id, "name": "Peer B",
                "base_url": self.base_url, "sector": "application", "public_key": self.public_key,
                "fingerprint": self.fingerprint, "epoch": self.epoch,
                "record_types": ["organisation", "person", "listing"],
                "software": {"name": "fake", "version": "0"}}

    def page(self, since, limit):
        after = sorted((c for c in self.changes if c["seq"] > since), key=lambda c: c["seq"])
        chosen = after[:limit]
        has_more = len(after) > limit
        top = max([c["seq"] for c in self.changes] + [since])
        next_cursor = chosen[-1]["seq"] if has_more else top
        return {"cluster_id": self.cluster_id, "epoch": self.epoch, "since": since, "next": next_cursor,
                "has_more": has_more, "changes": chosen}

    def wsgi(self, environ, start_response):
        import json

        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        if request.path.endswith("/info"):
            response = Response(json.dumps(self.info()), content_type="application/json")
            return response(environ, start_response)
        since, limit = int(request.args.get("since", 0)), int(request.args.get("limit", 500))
        self.calls.append(since)
        action = self.behaviour.pop(0) if self.behaviour else None
        if action == "500":
            response = Response('{"error": {"code": "internal", "message": "boom"}}', status=500,
                                content_type="application/json")
        elif action == "429":
            response = Response('{"error": {"code": "rate_limited", "message": "slow down"}}', status=429,
                                content_type="application/json", headers={"Retry-After": self.retry_after})
        elif action == "garbage":
            response = signing.sign_response(Response(b"<html>not json", content_type="text/html"),
                                             self.cluster_id, self.key)
        else:
            page = action(since, limit) if callable(action) else self.page(since, limit)
            body = json.dumps(page).encode()
            response = signing.sign_response(Response(body, content_type="application/json"),
                                             self.cluster_id, FakePeer().key if action == "badsig" else self.key)
            if action == "truncated":
                response.headers["Content-Length"] = str(len(body) + 500)
        return response(environ, start_response)


def change(seq, uid, fed_type="listing", origin="peer-b", version=1, deleted=False, data=None):
    """A feed change as a publisher sends it."""
    return {"seq": seq, "type": fed_type, "uid": uid, "origin": origin, "version": version,
            "updated_at": "2026-11-28T20:00:00Z", "deleted": deleted, "data": None if deleted else data}


def organisation_data(**overrides):
    data = {"name": "Agrilab", "kind": "end_user", "country": "FR", "city": "Rennes", "website": "",
            "description": "", "sectors": ["agrifood"], "special_guest": False}
    data.update(overrides)
    return data


def listing_data(organisation_uid, **overrides):
    data = {"kind": "need", "organisation_uid": organisation_uid, "person_uid": None,
            "title": "Grain moisture sensing", "summary": "In-silo sensing", "description": "",
            "keywords": ["moisture"], "sectors": ["agrifood"], "trl": None, "cooperation": [],
            "ipr": None, "valid_until": None, "status": "open"}
    data.update(overrides)
    return data
