"""Start, seed and stop the test OpenID Connect provider (a second Django process)."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPOSITORY = Path(__file__).resolve().parents[2]
SETTINGS = "tests.oidc_provider.settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class User:
    username: str
    password: str
    email: str
    first_name: str = ""
    last_name: str = ""
    email_verified: bool = True


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]


class OidcProvider:
    """The provider listens on 127.0.0.1:<port>; its issuer is `http://127.0.0.1:<port>/o`
    whatever host name a request uses (so `localhost` reaches it under a wrong issuer)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.origin = f"http://{self.address}"
        self.issuer = f"{self.origin}/o"
        self.database = directory / "provider.sqlite3"
        key = directory / "provider-key.pem"
        key.write_text(private_key_pem())
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "OIDC_PROVIDER_DATABASE": str(self.database),
            "OIDC_PROVIDER_KEY": str(key),
            "OIDC_PROVIDER_ISSUER": self.issuer,
            "PYTHONPATH": str(REPOSITORY),
        }
        self.process: subprocess.Popen | None = None
        self.log = directory / "provider.log"

    def django(self, *arguments: str, stdin: str | None = None) -> None:
        subprocess.run(
            [sys.executable, "-m", "django", *arguments],
            cwd=REPOSITORY,
            env=self.environment,
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.django("migrate", "--run-syncdb", "--no-input")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "django", "runserver", "--noreload", self.address],
                cwd=REPOSITORY,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_for_discovery()

    def wait_for_discovery(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the OIDC provider exited:\n{self.log.read_text()}")
            try:
                if requests.get(self.discovery_url, timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        log = self.log.read_text()
        raise RuntimeError(f"the OIDC provider did not answer in {timeout} s:\n{log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def seed(self, users: list[User] = (), clients: list[Client] = ()) -> None:
        payload = {
            "users": [user.__dict__ for user in users],
            "clients": [client.__dict__ for client in clients],
        }
        self.django("seed_provider", stdin=json.dumps(payload))

    def query(self, sql: str, *parameters) -> list[sqlite3.Row]:
        """Read the provider's own rows (its grants, tokens), as its administrator could."""
        with sqlite3.connect(self.database, timeout=20) as connection:
            connection.row_factory = sqlite3.Row
            return connection.execute(sql, parameters).fetchall()
