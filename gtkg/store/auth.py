"""HTTP authentication for the remote store: Basic, or Digest (RFC 7616) where the server asks for it.

Basic goes with every request (most SPARQL servers expect it up front), except to an origin that asked for
Digest, and to Virtuoso, whose authenticated endpoints (/sparql-auth) ask for Digest: there the first request goes
without credentials, and the server's challenge is answered and remembered for the origin, so that later
requests carry a Digest answer at once (a new challenge, such as a stale nonce, is answered once more).
"""

import base64
import hashlib
import os
import threading
import urllib.parse
import urllib.request

_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512-256": lambda data: hashlib.new("sha512_256", data)}


class _Challenge:
    """A server's Digest challenge for one origin and user, and how many times its nonce was used."""

    def __init__(self, params: dict):
        self.params = params
        self.count = 0


_challenges: dict[tuple, _Challenge] = {}
_lock = threading.Lock()


def authorization(user: str, password: str, method: str, url: str, *, basic: bool) -> str | None:
    """The Authorization header of a request: Digest where the origin asked for it, else Basic if `basic`."""
    with _lock:
        challenge = _challenges.get((origin(url), user))
        if challenge is not None:
            challenge.count += 1
            count = challenge.count
    if challenge is not None:
        return _digest(challenge.params, user, password, method, url, count)
    if basic:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return None


def learn(user: str, url: str, header: str | None) -> bool:
    """Remember the Digest challenge of a 401 answer (its WWW-Authenticate header) for the URL's origin; whether
    there was one gtkg can answer."""
    params = digest_challenge(header or "")
    if params is None:
        return False
    with _lock:
        _challenges[(origin(url), user)] = _Challenge(params)
    return True


def digest_challenge(header: str) -> dict | None:
    """The parameters of a Digest challenge that gtkg can answer (qop auth or none, a known algorithm):

    >>> digest_challenge('Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5"')["nonce"]
    'abc'
    >>> digest_challenge('Basic realm="x"') is None
    True
    """
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
    algorithm = params.get("algorithm", "MD5").upper().removesuffix("-SESS")
    qop = [q.strip() for q in params.get("qop", "auth").split(",")]
    if "realm" not in params or "nonce" not in params or algorithm not in _HASHES or "auth" not in qop:
        return None
    return params


def _digest(params: dict, user: str, password: str, method: str, url: str, count: int) -> str:
    algorithm = params.get("algorithm", "MD5")
    name = algorithm.upper().removesuffix("-SESS")

    def h(text: str) -> str:
        return _HASHES[name](text.encode("utf-8")).hexdigest()

    realm, nonce = params["realm"], params["nonce"]
    parts = urllib.parse.urlsplit(url)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")
    cnonce, nc = os.urandom(8).hex(), f"{count:08x}"
    secret = h(f"{user}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        secret = h(f"{secret}:{nonce}:{cnonce}")
    if "qop" in params:
        response = h(f"{secret}:{nonce}:{nc}:{cnonce}:auth:{h(f'{method}:{uri}')}")
    else:
        response = h(f"{secret}:{nonce}:{h(f'{method}:{uri}')}")
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": uri, "response": response,
              "opaque": params.get("opaque")}
    header = ", ".join(f'{key}="{_quoted(value)}"' for key, value in fields.items() if value is not None)
    header += f", algorithm={algorithm}"
    if "qop" in params:
        header += f', qop=auth, nc={nc}, cnonce="{cnonce}"'
    return "Digest " + header


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def origin(url: str) -> tuple:
    """Scheme, host and port: credentials never go to another origin than the one they were given for."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    return parts.scheme, parts.hostname, port
