"""The OpenRosa 1.0 protocol as ODK Collect speaks it: authentication, the headers every answer carries, the
request body (chunked or not) and its multipart parts, and the XML answers.

Authentication: the server URL Collect is given holds a per-user token (``/collect/<token>``), and Collect answers
the ``Basic`` challenge with the username and a generated secret. Chosen over HTTP Digest because Digest with MD5
would need a password-equivalent (HA1) stored for every user and nonce bookkeeping against replays, while a random
secret can be stored as a plain SHA-256 and revoked by issuing a new one; Basic is refused over plain HTTP outside
the demo (``DEBUG``), as Collect itself sends it only over HTTPS.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import uuid
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP, Policy, compat32
from email.utils import collapse_rfc2231_value
from functools import wraps
from xml.sax.saxutils import escape

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from hifazat.core.audit import Actor
from hifazat.intake.models import CollectKey
from hifazat.intake.services import one, secret_sha256

REALM = "Hifazat ODK Collect"
NS = "http://openrosa.org/http/response"
# How large a POST Collect may send; it splits bigger submissions into several POSTs (``*isIncomplete*``).
ACCEPT_CONTENT_LENGTH = 10 * 1024 * 1024
MAX_BODY = ACCEPT_CONTENT_LENGTH + 1024 * 1024  # the announced size plus room for multipart headers


def headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(ACCEPT_CONTENT_LENGTH)
    response["Date"] = http_date()
    return response


def message(text: str, status: int) -> HttpResponse:
    """An OpenRosa response document with one message for Collect to show."""
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{NS}"><message nature="">{escape(text)}</message></OpenRosaResponse>'
    return headers(HttpResponse(body, status=status, content_type="text/xml; charset=utf-8"))


def challenge() -> HttpResponse:
    response = message("Sign in with the username and secret from your Hifazat profile.", 401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def authenticate(request, token: uuid.UUID | None = None) -> Actor | None:
    """The actor whose Collect key matches the Basic credentials (and ``token``, for the URLs under the server
    URL); otherwise none."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        username, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key = one(CollectKey.objects.select_related("user").filter(user__username=username))
    if (
        key is None
        or not key.user.is_active
        or not hmac.compare_digest(key.secret_sha256, secret_sha256(secret))
        or (token is not None and key.token != token)
    ):
        return None
    return Actor.for_user(key.user, ip=get_client_ip_address(request))


def openrosa_view(*, under_server_url: bool):
    """Collect's endpoints: CSRF-exempt (no session), signed in by Basic over HTTPS (401 with the challenge),
    ``intake.submit`` required (403), records outside the user's organisation answered 404, OpenRosa headers
    on every answer. ``under_server_url``: the URL's ``uuid`` is the user's token (``formList``,
    ``submission``); otherwise it names a record and the view gets it."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, uuid):
            if not (request.is_secure() or settings.DEBUG):
                return message("Use HTTPS: credentials are not accepted over plain HTTP.", 403)
            actor = authenticate(request, uuid if under_server_url else None)
            if actor is None:
                return challenge()
            if not actor.can("intake.submit"):
                return message("Your role may not use forms from the field.", 403)
            request.actor = actor
            try:
                response = view(request) if under_server_url else view(request, uuid)
            except Http404:
                response = message("Not found.", 404)
            return headers(response)

        return wrapped

    return decorator


def read_body(request) -> bytes:
    """The whole request body, up to ``MAX_BODY`` (``ValueError`` beyond). With ``Transfer-Encoding:
    chunked`` there is no ``CONTENT_LENGTH`` and Django's request stream reads nothing (under gunicorn, which
    de-chunks the input, ``request.FILES`` would be empty): ``wsgi.input`` is then read to its end. With a
    length, the request stream is read rather than ``request.body``, whose ``DATA_UPLOAD_MAX_MEMORY_SIZE`` check
    would refuse a full batch of the size this server announces plus its multipart headers."""
    length = request.META.get("CONTENT_LENGTH")
    if length:
        if int(length) > MAX_BODY:
            raise ValueError("too large")
        stream = request
    else:
        stream = request.META.get("wsgi.input")
        if stream is None:
            return b""
    chunks, size = [], 0
    while True:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_BODY:
            raise ValueError("too large")
        chunks.append(chunk)
    return b"".join(chunks)


def multipart_parts(content_type: str, body: bytes) -> list[tuple[str, str, str, bytes]]:
    """The parts of a ``multipart/form-data`` body as (field name, file name, content type, bytes), however
    many there are (Django's parser stops at ``DATA_UPLOAD_MAX_NUMBER_FILES``, and Collect sends more)."""
    if not content_type.lower().startswith("multipart/"):
        raise ValueError("not multipart")
    # The legacy policy (``compat32``) first: its plain header parsing reads a submission ten times faster than
    # the header registry of the modern policy, which the endpoint's rate felt. Only the modern one reads a part
    # header sent as raw UTF-8 (a file name, as browsers send it): such a body is read again with it.
    document = _parsed(content_type, body, compat32)
    if not document.is_multipart():
        raise ValueError("no parts")
    if not all(value.isascii() for part in document.get_payload() for _name, value in part.raw_items()):
        document = _parsed(content_type, body, HTTP)
    parts = []
    for part in document.get_payload():
        name = part.get_param("name", header="content-disposition") or ""
        filename = part.get_filename() or ""
        payload = part.get_payload(decode=True) or b""
        parts.append((_text(name), str(filename), part.get_content_type(), payload))
    return parts


def _parsed(content_type: str, body: bytes, policy: Policy) -> Message:
    return BytesParser(policy=policy).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )


def _text(value: str | tuple) -> str:
    """A header parameter as text (one in RFC 2231's encoding decoded)."""
    return collapse_rfc2231_value(value) if isinstance(value, tuple) else str(value)
