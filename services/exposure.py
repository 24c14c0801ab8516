"""Whether the api may listen where it is asked to: the one rule, for `serve`, `up` and run_api.

An api on a loopback address (127.0.0.0/8, ::1, ``localhost``) is reachable only from this
machine, so it may run without authentication, as a developer's does. Anywhere else (``0.0.0.0``,
``::``, a LAN address, any other host name) anyone who can reach the port could train, sample and
fill the queue, so the api needs a bearer token (``LATENTGAN_AUTH_TOKEN``) or mutual TLS
(``LATENTGAN_TLS_CLIENT_CA`` with ``LATENTGAN_TLS_CERT`` and ``LATENTGAN_TLS_KEY``); without either
it refuses to start unless ``--insecure`` (``LATENTGAN_INSECURE=1``) says that is intended, and
then it starts with a warning. The rule is a pure function of the settings, so that every entry
point decides alike and before it starts anything.
"""

from __future__ import annotations

import ipaddress

from latentgan.errors import ConfigError
from services.settings import ServingSettings


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine: ``localhost`` or a loopback IP address.

    ``[::1]`` (an IPv6 address in brackets, as in an address with a port) and ``::ffff:127.0.0.1``
    (an IPv4-mapped one, which Python 3.11 alone does not call loopback) count too. Any other
    host name counts as not loopback: what it resolves to is not ours to trust, and the empty
    host, ``0.0.0.0`` and ``::`` mean every interface.
    """
    name = host.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:  # a host name, or nothing at all
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def mutual_tls(settings: ServingSettings) -> bool:
    """Whether the settings ask for mutual TLS: a server certificate and key, and a client CA."""
    return None not in (settings.tls_cert, settings.tls_key, settings.tls_client_ca)


def check_exposure(settings: ServingSettings) -> str | None:
    """Decide whether the api may listen on ``settings.api_host``, before anything is bound.

    Returns None when it may as configured (loopback, a bearer token, or mutual TLS); a warning
    line for the caller to log when it is exposed without authentication but ``insecure`` allows
    it. Raises ConfigError (one line: what to set, or ``--insecure``) when it is exposed without
    authentication and not allowed.
    """
    host = settings.api_host
    if is_loopback(host) or settings.auth_token or mutual_tls(settings):
        return None
    where = f"{host or '*'}:{settings.api_port}"
    if settings.insecure:
        return (
            f"listening on {where} without authentication (--insecure): anyone who can reach it "
            "can use the api; set LATENTGAN_AUTH_TOKEN or mutual TLS"
        )
    raise ConfigError(
        f"refusing to listen on {where} without authentication: set LATENTGAN_AUTH_TOKEN "
        "(or LATENTGAN_TLS_CERT, LATENTGAN_TLS_KEY and LATENTGAN_TLS_CLIENT_CA for mutual TLS), "
        "listen on 127.0.0.1, or pass --insecure",
        field="api_host",
    )
