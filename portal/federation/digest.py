"""Convergence digests (PROTOCOL.md `GET digest`): plain data in, count and SHA-256 out."""
import hashlib


def digest(entries):
    """Hash `(type, uid, version, deleted)` tuples as the protocol says, sorted by (type, uid)."""
    lines = sorted(entries, key=lambda e: (e[0], e[1]))
    sha = hashlib.sha256()
    for fed_type, uid, version, deleted in lines:
        sha.update(f"{fed_type} {uid} {version} {1 if deleted else 0}\n".encode("utf-8"))
    return {"count": len(lines), "sha256": sha.hexdigest()}
