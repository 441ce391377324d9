"""Encryption at rest and blind indexes for personal identifiers.

The ID-card number is stored encrypted (Fernet: AES-CBC + HMAC) and matched
through a keyed hash, so equality can be tested without decrypting anything.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from server import config


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(plaintext: str) -> str:
    return _fernet(config.settings.field_key).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(config.settings.field_key).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("value was encrypted with another key") from exc


def encrypt_bytes(data: bytes) -> bytes:
    """For whole files held for a while (an upload waiting for the worker): they hold ID numbers."""
    return _fernet(config.settings.field_key).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet(config.settings.field_key).decrypt(token)
    except InvalidToken as exc:
        raise ValueError("value was encrypted with another key") from exc


def blind_index(value: str) -> str:
    key = config.settings.blind_index_key.encode()
    return hmac.new(key, value.upper().encode(), hashlib.sha256).hexdigest()
