"""The Bot Framework's token side on 127.0.0.1: an OpenID metadata document, its JWKS, and a
signer that issues channel tokens the way the Bot Connector does (RS256, kid, endorsements).

The SDK fetches metadata with blocking `requests.get` from inside the event loop, so the stub
runs on its own thread with the standard library's HTTP server rather than on the test's loop.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

# The issuer of every token the Bot Framework sends to a bot (AuthenticationConstants).
CHANNEL_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"


def new_key() -> rsa.RSAPrivateKey:
    """Return a fresh 2048-bit RSA key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class OpenIdStub:
    """Serve metadata and keys; sign tokens with the published key (or any other)."""

    key: rsa.RSAPrivateKey
    kid: str = field(default_factory=lambda: uuid.uuid4().hex)
    endorsements: tuple[str, ...] = ("msteams", "webchat", "emulator")
    url: str = ""
    requests: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)  # paths whose response has been written
    keys_delay_s: float = 0.0  # how long the key set takes to arrive, as from a slow network
    _server: ThreadingHTTPServer | None = None

    @property
    def metadata_url(self) -> str:
        """Return the URL the SDK must read the OpenID configuration from."""
        return self.url + METADATA_PATH

    def jwks(self) -> dict[str, Any]:
        """Return the published key set."""
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "endorsements": list(self.endorsements)}]}

    def start(self) -> None:
        """Serve on a free loopback port in a daemon thread."""
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stub.requests.append(self.path)
                if self.path == METADATA_PATH:
                    body = {
                        "issuer": CHANNEL_ISSUER,
                        "jwks_uri": stub.url + KEYS_PATH,
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                elif self.path == KEYS_PATH:
                    time.sleep(stub.keys_delay_s)
                    body = stub.jwks()
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                stub.served.append(self.path)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        issuer: str = CHANNEL_ISSUER,
        lifetime_s: int = 3600,
        issued_ago_s: int = 0,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        algorithm: str = "RS256",
        extra: dict[str, Any] | None = None,
    ) -> str:
        """Return a channel token as the Bot Connector signs it, with any part overridden."""
        now = int(time.time()) - issued_ago_s
        claims = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 5,
            "iat": now - 5,
            "exp": now + lifetime_s,
            **(extra or {}),
        }
        signing_key: Any = key or self.key
        return jwt.encode(claims, signing_key, algorithm=algorithm, headers={"kid": kid or self.kid})
