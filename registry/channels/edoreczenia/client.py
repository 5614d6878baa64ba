"""A small client of the e-Doręczenia mailbox API ("User Agent API" 3.0.8, shared/data/edoreczenia/uaapi-3.0.8.yaml).

Only what the receive flow needs (COI UC006): list INBOX message ids (`format=minimal`), read one message
(`format=fullExtended`; HTTP 202 means it is still being transferred), download attachments (inline, by id, or the
large-file variant `POST /attachments/download`), read evidences, delete the message after it was registered.

Authentication (as the yaml describes it for EZD-class systems): an OAuth 2.0 bearer token obtained from the
authorisation server with mutual-TLS client authentication (RFC 8705) using the office's X.509 certificate; the
same certificate is presented to the API. Every call has a timeout; network errors and 5xx/429 answers are retried
a bounded number of times with exponential back-off."""

from __future__ import annotations

import base64
import logging
import ssl
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
from django.conf import settings

log = logging.getLogger(__name__)

# Files above this size are fetched through the dedicated download endpoint (UA API: "> 15 MB").
LARGE_FILE = 15 * 1024 * 1024
# The yaml allows up to 2000 ids a page; a smaller page keeps each call short.
PAGE_SIZE = 100


class ClientError(Exception):
    """The mailbox refused a call or could not be reached (after the bounded retries)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class StillTransferring(Exception):
    """HTTP 202 on reading a message: it is still being transferred into the mailbox; try again later."""


@dataclass
class Token:
    value: str
    expires_at: float


@dataclass
class Config:
    url: str
    ade: str
    token_url: str
    client_id: str = ""
    scope: str = "read_messages write_messages"
    cert: str = ""
    key: str = ""
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> Config:
        return cls(
            url=settings.EDORECZENIA_URL.rstrip("/"),
            ade=settings.EDORECZENIA_ADE,
            token_url=settings.EDORECZENIA_TOKEN_URL,
            client_id=settings.EDORECZENIA_CLIENT_ID or settings.EDORECZENIA_ADE,
            scope=settings.EDORECZENIA_SCOPE,
            cert=settings.EDORECZENIA_CLIENT_CERT,
            key=settings.EDORECZENIA_CLIENT_KEY,
            timeout=settings.EDORECZENIA_TIMEOUT,
        )


@dataclass
class Client:
    config: Config
    transport: httpx.BaseTransport | None = None  # tests pass an httpx.MockTransport
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    retries: int = 3  # network errors, 5xx, 429: attempts after the first
    backoff: float = 2.0  # seconds, doubled each retry
    _token: Token | None = field(default=None, init=False, repr=False)
    _http: httpx.Client | None = field(default=None, init=False, repr=False)

    # ---------------------------------------------------------------------------------------------------------------
    # plumbing
    # ---------------------------------------------------------------------------------------------------------------
    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            kwargs = {"timeout": httpx.Timeout(self.config.timeout), "follow_redirects": False}
            if self.transport is not None:
                kwargs["transport"] = self.transport
            else:
                kwargs["verify"] = tls_context(self.config)
            self._http = httpx.Client(**kwargs)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _path(self, *parts: str) -> str:
        # The ADE contains ':' – keep it readable but escape everything that could change the path.
        return self.config.url + "/" + "/".join(quote(p, safe=":") for p in (self.config.ade, *parts))

    def token(self) -> str:
        """A bearer token from the authorisation server: client_credentials grant, the client authenticated by its
        TLS certificate (RFC 8705 tls_client_auth, so no secret is sent); kept until shortly before it expires."""
        if self._token and self._token.expires_at > self.clock() + 30:
            return self._token.value
        response = self._send(
            "POST", self.config.token_url, auth=False,
            data={"grant_type": "client_credentials", "client_id": self.config.client_id, "scope": self.config.scope},
        )
        try:
            body = response.json()
            value = body["access_token"]
        except (ValueError, KeyError) as exc:
            raise ClientError("the token endpoint answered without an access_token") from exc
        self._token = Token(value, self.clock() + float(body.get("expires_in", 300)))
        return value

    def _send(self, method: str, url: str, *, auth: bool = True, stream: bool = False, retry: bool = True,
              **kwargs) -> httpx.Response:
        """One call with bounded retries. Returns the response for 2xx; raises ClientError otherwise.
        `retry=False` for calls that must not be repeated blindly (sending): the caller reconciles instead."""
        delay = self.backoff
        retries = self.retries if retry else 0
        for attempt in range(retries + 1):
            headers = dict(kwargs.pop("headers", {}) or {})
            if auth:
                headers["Authorization"] = f"Bearer {self.token()}"
            try:
                request = self.http.build_request(method, url, headers=headers, **kwargs)
                response = self.http.send(request, stream=stream)
            except httpx.TransportError as exc:  # includes timeouts
                if attempt == retries:
                    raise ClientError(f"{method} {url}: {exc.__class__.__name__}: {exc}") from exc
                log.warning("e-Doręczenia %s %s failed (%s), retrying in %.0f s", method, url, exc, delay)
            else:
                if response.status_code == 401 and auth and attempt < retries:
                    self._token = None  # expired or revoked: one more try with a fresh token
                    response.close()
                    continue
                if response.status_code < 400:
                    return response
                retryable = response.status_code >= 500 or response.status_code == 429
                if not retryable or attempt == retries:
                    if stream:
                        response.read()
                    raise ClientError(
                        f"{method} {url}: HTTP {response.status_code} {_error_text(response)}",
                        status=response.status_code,
                    )
                response.close()
                log.warning("e-Doręczenia %s %s: HTTP %s, retrying in %.0f s", method, url, response.status_code, delay)
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    # ---------------------------------------------------------------------------------------------------------------
    # the calls of the receive flow
    # ---------------------------------------------------------------------------------------------------------------
    def list_inbox_ids(self, limit: int) -> list[str]:
        """Ids of messages in the INBOX, oldest first, at most `limit` (GET /{ade}/messages?format=minimal)."""
        ids: list[str] = []
        offset = 0
        while len(ids) < limit:
            page = min(PAGE_SIZE, limit - len(ids))
            response = self._send(
                "GET", self._path("messages"),
                params={
                    "format": "minimal", "label": "INBOX", "offset": offset, "limit": page,
                    "sortColumn": "timestamp", "sortDirection": "asc",
                },
            )
            messages = response.json().get("messages") or []
            for message in messages:
                message_id = (message.get("messageMetadata") or {}).get("messageId")
                if message_id and message_id not in ids:
                    ids.append(message_id)
            if len(messages) < page:
                break
            offset += len(messages)
        return ids[:limit]

    def get_message(self, message_id: str, *, waits: int = 3, first_wait: float = 2.0) -> dict:
        """The full message with attachments and evidences (format=fullExtended). HTTP 202 means it is still being
        transferred: wait `first_wait`, doubling, at most `waits` times, then raise StillTransferring so the importer
        comes back in a later run (no tight loop)."""
        delay = first_wait
        for attempt in range(waits + 1):
            response = self._send("GET", self._path("messages", message_id), params={"format": "fullExtended"})
            if response.status_code == 202:
                if attempt == waits:
                    raise StillTransferring(message_id)
                self.sleep(delay)
                delay *= 2
                continue
            return _the_message(response.json(), message_id)
        raise AssertionError("unreachable")

    def get_evidences(self, message_id: str) -> list[dict]:
        response = self._send("GET", self._path("messages", message_id, "evidences"))
        return response.json().get("evidences") or []

    def get_evidence_file(self, evidence_id: str, message_type: str = "purde", *, max_size: int | None = None) -> bytes:
        """The evidence file, streamed and never read past the attachment limit (a broken or hostile answer cannot
        fill the worker's memory)."""
        limit = settings.MAX_ATTACHMENT_SIZE if max_size is None else max_size
        response = self._send("GET", self._path("evidences", message_type, evidence_id), stream=True)
        return _read_limited(response, limit, f"evidence {evidence_id}")

    def get_attachment_json(self, message_id: str, attachment_id: str) -> dict:
        """GET /{ade}/messages/{messageId}/attachments/{attachmentId}: an Attachment with its content in base64."""
        return self._send("GET", self._path("messages", message_id, "attachments", attachment_id)).json()

    def download_attachment(self, message_id: str, attachment_id: str, *, max_size: int):
        """The large-file variant (POST /{ade}/attachments/download, application/octet-stream), streamed to a
        temporary file and never read past `max_size` bytes. Returns an open temporary file positioned at 0."""
        response = self._send(
            "POST", self._path("attachments", "download"), stream=True,
            json={"messageId": message_id, "attachmentId": attachment_id},
        )
        out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
        size = 0
        try:
            for chunk in response.iter_bytes(1024 * 1024):
                size += len(chunk)
                if size > max_size:
                    raise ClientError(f"attachment {attachment_id} is larger than the limit of {max_size} bytes")
                out.write(chunk)
        except BaseException:
            out.close()
            raise
        finally:
            response.close()
        out.seek(0)
        return out

    def delete_message(self, message_id: str) -> None:
        self._send("DELETE", self._path("messages", message_id))

    # ---------------------------------------------------------------------------------------------------------------
    # the calls of the send flow: draft, attachments, send, send task, evidences
    # ---------------------------------------------------------------------------------------------------------------
    def create_draft(self, message: dict) -> str:
        """POST /{ade}/drafts → the draft's messageId. A repeated draft is harmless (nothing is sent)."""
        body = self._send("POST", self._path("drafts"), json=message).json()
        if not body.get("messageId"):
            raise ClientError("the draft was created without a messageId")
        return body["messageId"]

    def add_draft_attachment(self, draft_id: str, file_data: dict) -> str:
        """POST /{ade}/drafts/{messageId}/attachments with a FileData (metadata + base64 content)."""
        body = self._send("POST", self._path("drafts", draft_id, "attachments"), json=file_data).json()
        return body.get("attachmentId") or (body.get("fileMetadata") or {}).get("fileId") or ""

    def get_draft(self, draft_id: str) -> dict | None:
        """The draft, or None when the mailbox has no such draft any more (it was sent, or never created)."""
        try:
            return self._send("GET", self._path("drafts", draft_id)).json()
        except ClientError as exc:
            if exc.status in (400, 404):
                return None
            raise

    def list_drafts(self, *, subject: str, limit: int = 50) -> list[dict]:
        params = {"subject": subject, "limit": limit, "offset": 0, "format": "metadata"}
        return self._send("GET", self._path("drafts"), params=params).json().get("messages") or []

    def send_draft(self, draft_id: str) -> str:
        """POST /{ade}/drafts/send → the messageTaskId. Never retried here: after a timeout or a 5xx the send may
        have happened, so the caller looks at the draft and the SENT folder first (see dispatch.edoreczenia)."""
        body = self._send("POST", self._path("drafts", "send"), json={"messageId": draft_id}, retry=False).json()
        return body.get("messageTaskId") or ""

    def get_send_task(self, task_id: str) -> list[dict]:
        """GET /{ade}/messages/tasks/{messageTaskId}: per addressee the messageId created (or an error)."""
        body = self._send("GET", self._path("messages", "tasks", task_id)).json()
        return body if isinstance(body, list) else []

    def find_sent(self, *, subject: str, recipient: str, limit: int = 50) -> list[str]:
        """Ids of messages in SENT with this subject to this addressee (newest first)."""
        params = {
            "format": "metadata", "label": "SENT", "subject": subject, "recipient": recipient, "limit": limit,
            "offset": 0, "sortColumn": "timestamp", "sortDirection": "desc",
        }
        messages = self._send("GET", self._path("messages"), params=params).json().get("messages") or []
        return [(m.get("messageMetadata") or {}).get("messageId") for m in messages
                if (m.get("messageMetadata") or {}).get("messageId")]

    def subscribe(self, *, evidence_url: str, message_created_url: str) -> dict:
        """PUT /{ade}/message_subscriptions: the service calls these URLs when an evidence arrives and when a send
        task has finished (the office's public HTTPS address)."""
        body = {"evidenceCallbackUrl": evidence_url, "messageCreatedCallbackUrl": message_created_url}
        return self._send("PUT", self._path("message_subscriptions"), json=body).json()

    def get_messages(self, message_ids: list[str], *, fmt: str = "metadata") -> list[dict]:
        """Up to 50 messages in one read (the path takes a comma-separated list)."""
        if not message_ids:
            return []
        response = self._send("GET", self._path("messages", ",".join(message_ids[:50])), params={"format": fmt})
        if response.status_code == 202:
            return []
        body = response.json()
        return body if isinstance(body, list) else [body]


def _the_message(body, message_id: str) -> dict:
    """The yaml answers an array of Message (the path takes up to 50 ids). Only the requested message is accepted:
    a message with another id would be registered in its place and the requested one deleted unread. A one-item
    answer without any id is taken as the requested one (the id is optional in the schema)."""
    items = body if isinstance(body, list) else [body]
    for item in items:
        if isinstance(item, dict) and (item.get("messageMetadata") or {}).get("messageId") == message_id:
            return item
    if len(items) == 1 and isinstance(items[0], dict) and not (items[0].get("messageMetadata") or {}).get("messageId"):
        return items[0]
    others = [
        (i.get("messageMetadata") or {}).get("messageId") for i in items if isinstance(i, dict)
    ]
    raise ClientError(f"message {message_id}: the mailbox answered with another message ({others})")


def _read_limited(response: httpx.Response, limit: int, what: str) -> bytes:
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes(256 * 1024):
            size += len(chunk)
            if size > limit:
                raise ClientError(f"{what} is larger than the limit of {limit} bytes")
            chunks.append(chunk)
    finally:
        response.close()
    return b"".join(chunks)


def tls_context(config: Config) -> ssl.SSLContext:
    """Server certificates verified against the system CAs; our client certificate presented (mutual TLS)."""
    context = ssl.create_default_context()
    if config.cert:
        context.load_cert_chain(config.cert, config.key or None)
    return context


def _error_text(response: httpx.Response) -> str:
    """The ErrorInfo of the yaml (`[{error, error_description}]`) as one short line."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    items = body if isinstance(body, list) else [body]
    parts = [f"{i.get('error', '')}: {i.get('error_description', '')}" for i in items if isinstance(i, dict)]
    return "; ".join(parts)[:500]


def decode_inline(content: str, *, max_size: int) -> bytes:
    """Base64 content of FileData.file, refused (not decoded) when it would exceed `max_size`."""
    cleaned = "".join(content.split())
    if len(cleaned) * 3 // 4 > max_size + 3:
        raise ValueError("too large")
    return base64.b64decode(cleaned, validate=True)


def iter_chunks(fileobj, size: int = 1024 * 1024) -> Iterator[bytes]:
    while chunk := fileobj.read(size):
        yield chunk
