"""An ODK Collect emulator written from the OpenRosa 1.0 specification and Collect's documented behaviour, for
tests through Django's test client (HTTPS, as Collect sends Basic credentials only over HTTPS).

What it does as Collect does: the first request goes without credentials and is answered by the challenge;
Collect then resends with ``Authorization: Basic`` and keeps sending it to the same server. The form list is
parsed, each form downloaded and its MD5 compared with the list's hash, media fetched from the manifest with
their MD5s checked. Before sending, a ``HEAD`` pre-flight must answer 204 with the OpenRosa headers; its
``X-OpenRosa-Accept-Content-Length`` decides how the submission is split: each POST carries the XML and as many
attachments as fit, and every POST but the last carries ``*isIncomplete*=yes``. Only 201 and 202 count as sent.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.test import Client

LIST_NS = "{http://openrosa.org/xforms/xformsList}"
MANIFEST_NS = "{http://openrosa.org/xforms/xformsManifest}"


class CollectError(AssertionError):
    """The server did not behave as Collect needs."""


@dataclass
class FormEntry:
    form_id: str
    name: str
    version: str
    hash: str
    download_url: str
    manifest_url: str = ""


@dataclass
class Collect:
    server_url: str  # as typed into Collect: https://host/collect/<token>
    username: str
    password: str
    client: Client = field(default_factory=Client)
    # Around each request: in a test inside one transaction (``TestCase``), the test's capture of on-commit
    # callbacks, so that the submission is stored in the background as after a real request's commit.
    around: Callable[[], AbstractContextManager] = nullcontext
    authorised: bool = False
    responses: list = field(default_factory=list)

    # --- transport ---------------------------------------------------------------------------------------

    def _path(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise CollectError(f"Collect would not send credentials to {url}")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()

    def request(
        self, method: str, url: str, *, body: bytes = b"", content_type: str = "", chunked: bool = False
    ):
        extra = {}
        if chunked:
            # As gunicorn passes a chunked request on: no Content-Length, and an input stream (de-chunked) that
            # is read until it ends, returning fewer bytes than asked for at its end.
            extra = {
                "CONTENT_LENGTH": "",
                "HTTP_TRANSFER_ENCODING": "chunked",
                "wsgi.input": io.BytesIO(body),
            }
        if self.authorised:
            extra["HTTP_AUTHORIZATION"] = self._basic()
        with self.around():
            response = self.client.generic(
                method, self._path(url), data=body, content_type=content_type, secure=True, **extra
            )
        if response.status_code == 401 and not self.authorised:
            challenge = response.get("WWW-Authenticate", "")
            if not challenge.lower().startswith("basic"):
                raise CollectError(f"401 without a Basic challenge: {challenge!r}")
            self.authorised = True
            extra["HTTP_AUTHORIZATION"] = self._basic()
            if chunked:
                extra["wsgi.input"] = io.BytesIO(body)
            with self.around():
                response = self.client.generic(
                    method, self._path(url), data=body, content_type=content_type, secure=True, **extra
                )
        if response.get("X-OpenRosa-Version") != "1.0":
            raise CollectError(f"{method} {url}: no X-OpenRosa-Version: 1.0 header")
        self.responses.append(response)
        return response

    # --- forms -------------------------------------------------------------------------------------------

    def form_list(self, form_id: str | None = None) -> list[FormEntry]:
        url = f"{self.server_url}/formList" + (f"?formID={form_id}" if form_id else "")
        response = self.request("GET", url)
        if response.status_code != 200:
            raise CollectError(f"formList answered {response.status_code}")
        root = ElementTree.fromstring(response.content)
        if root.tag != f"{LIST_NS}xforms":
            raise CollectError(f"not an OpenRosa form list: {root.tag}")
        entries = []
        for node in root.findall(f"{LIST_NS}xform"):
            entries.append(
                FormEntry(
                    form_id=node.findtext(f"{LIST_NS}formID", ""),
                    name=node.findtext(f"{LIST_NS}name", ""),
                    version=node.findtext(f"{LIST_NS}version", ""),
                    hash=node.findtext(f"{LIST_NS}hash", ""),
                    download_url=node.findtext(f"{LIST_NS}downloadUrl", ""),
                    manifest_url=node.findtext(f"{LIST_NS}manifestUrl", ""),
                )
            )
        return entries

    def download(self, entry: FormEntry) -> bytes:
        """The form's XML, refused (as Collect does) when its MD5 is not the list's hash."""
        response = self.request("GET", entry.download_url)
        if response.status_code != 200:
            raise CollectError(f"form download answered {response.status_code}")
        if entry.hash != "md5:" + hashlib.md5(response.content).hexdigest():
            raise CollectError("the downloaded form does not match the hash in the form list")
        return response.content

    def media(self, entry: FormEntry) -> dict[str, bytes]:
        if not entry.manifest_url:
            return {}
        response = self.request("GET", entry.manifest_url)
        if response.status_code != 200:
            raise CollectError(f"manifest answered {response.status_code}")
        files = {}
        for node in ElementTree.fromstring(response.content).findall(f"{MANIFEST_NS}mediaFile"):
            name = node.findtext(f"{MANIFEST_NS}filename", "")
            got = self.request("GET", node.findtext(f"{MANIFEST_NS}downloadUrl", ""))
            if node.findtext(f"{MANIFEST_NS}hash") != "md5:" + hashlib.md5(got.content).hexdigest():
                raise CollectError(f"media file {name} does not match its hash")
            files[name] = got.content
        return files

    # --- submissions -------------------------------------------------------------------------------------

    def preflight(self) -> int:
        """The HEAD request Collect sends before submitting: 204 with the OpenRosa headers, or not a server it
        can submit to. Returns the accepted content length."""
        response = self.request("HEAD", f"{self.server_url}/submission")
        if response.status_code != 204:
            raise CollectError(f"HEAD /submission answered {response.status_code}, not 204")
        return int(response.get("X-OpenRosa-Accept-Content-Length", 10 * 1024 * 1024))

    @staticmethod
    def multipart(parts: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
        boundary = "----collect" + secrets.token_hex(12)
        body = b""
        for name, filename, kind, data in parts:
            disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
            body += (
                f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {kind}\r\n\r\n".encode()
            )
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return body, f"multipart/form-data; boundary={boundary}"

    def post(self, parts, *, chunked: bool = False):
        body, content_type = self.multipart(parts)
        return self.request(
            "POST", f"{self.server_url}/submission", body=body, content_type=content_type, chunked=chunked
        )

    def submit(
        self, xml: bytes, attachments: dict[str, bytes] | None = None, *, chunked: bool = False
    ) -> list:
        """Send a filled form as Collect does: pre-flight, then as many POSTs as the accepted length needs.
        Returns the responses; raises unless every one is 201 or 202."""
        limit = self.preflight()
        batches: list[list[tuple[str, bytes]]] = [[]]
        size = len(xml)
        for name, data in (attachments or {}).items():
            if batches[-1] and size + len(data) > limit:
                batches.append([])
                size = len(xml)
            batches[-1].append((name, data))
            size += len(data)
        responses = []
        for number, batch in enumerate(batches, 1):
            parts = [("xml_submission_file", "submission.xml", "text/xml", xml)]
            parts += [(name, name, "image/jpeg", data) for name, data in batch]
            if number < len(batches):
                parts.append(("*isIncomplete*", "", "text/plain", b"yes"))
            response = self.post(parts, chunked=chunked)
            if response.status_code not in (201, 202):
                raise CollectError(f"submission answered {response.status_code}: {response.content!r}")
            responses.append(response)
        return responses
