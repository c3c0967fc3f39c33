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
