"""The cluster's Ed25519 key pair: generated at init, kept in the instance folder."""
import base64
import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

PRIVATE_FILE = os.path.join("keys", "ed25519.pem")


def generate(instance_path):
    """Write a new private key (mode 600) and return its public key."""
    key = Ed25519PrivateKey.generate()
    path = os.path.join(instance_path, PRIVATE_FILE)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key.public_key()


def replace(instance_path, stamp):
    """A new key pair in place of the current one, which is kept beside it as
    `ed25519.pem.replaced-<stamp>` (to put back if the change was a mistake); return the new public key."""
    path = os.path.join(instance_path, PRIVATE_FILE)
    if os.path.exists(path):
        os.rename(path, f"{path}.replaced-{stamp}")
    return generate(instance_path)


def private_key():
    """This portal's private key, read once per process."""
    cache = current_app.extensions.setdefault("portal_keys", {})
    if "private" not in cache:
        with open(os.path.join(current_app.instance_path, PRIVATE_FILE), "rb") as pem:
            cache["private"] = serialization.load_pem_private_key(pem.read(), password=None)
    return cache["private"]


def raw_public(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(public_key=None):
    """Standard padded base64 of the raw 32-byte public key, as `info` publishes it."""
    public_key = public_key or private_key().public_key()
    return base64.b64encode(raw_public(public_key)).decode("ascii")


def load_public(b64):
    """A public key from the `info` form; raises ValueError when it is not one."""
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(b64):
    """`SHA256:` + unpadded base64 of the SHA-256 of the raw key, as OpenSSH prints it."""
    digest = hashlib.sha256(base64.b64decode(b64)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")
