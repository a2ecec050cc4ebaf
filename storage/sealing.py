"""Sealing anonymous answers while they wait to be released (standard library only).

A sealed box is `nonce | ciphertext | tag`: the ciphertext is the padded plaintext XORed with
a SHA-256 keystream (counter mode over key and nonce), the tag an HMAC-SHA256 over nonce and
ciphertext (encrypt-then-MAC). Plaintexts are padded to a fixed size, so the length of a box
says nothing about the length of the answer inside it.

The key comes from the environment, not from the database: someone holding only copies of
the database files (main file, WAL, journal) cannot open a box.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

BOX_PLAINTEXT = 8192  # bytes: longer than any answer the modal accepts, JSON-escaped


class SealError(ValueError):
    """The box was not sealed with this key, or was altered."""


def _keys(key: bytes) -> tuple[bytes, bytes]:
    return (
        hashlib.sha256(b"icrm-seal-encrypt\0" + key).digest(),
        hashlib.sha256(b"icrm-seal-mac\0" + key).digest(),
    )


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hashlib.sha256(key + nonce + i.to_bytes(8, "big")).digest() for i in range(blocks)
    )[:length]


def seal(key: bytes, plaintext: bytes) -> str:
    if len(plaintext) > BOX_PLAINTEXT - 4:
        raise ValueError("too long to seal")
    padded = len(plaintext).to_bytes(4, "big") + plaintext
    padded += secrets.token_bytes(BOX_PLAINTEXT - len(padded))
    encrypt, mac = _keys(key)
    nonce = secrets.token_bytes(16)
    body = bytes(a ^ b for a, b in zip(padded, _stream(encrypt, nonce, len(padded)), strict=True))
    tag = hmac.new(mac, nonce + body, hashlib.sha256).digest()
    return base64.b64encode(nonce + body + tag).decode()


def unseal(key: bytes, box: str) -> bytes:
    raw = base64.b64decode(box)
    nonce, body, tag = raw[:16], raw[16:-32], raw[-32:]
    encrypt, mac = _keys(key)
    if not hmac.compare_digest(tag, hmac.new(mac, nonce + body, hashlib.sha256).digest()):
        raise SealError("not sealed with this key")
    padded = bytes(a ^ b for a, b in zip(body, _stream(encrypt, nonce, len(body)), strict=True))
    length = int.from_bytes(padded[:4], "big")
    return padded[4 : 4 + length]
