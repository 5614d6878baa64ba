"""A fake e-Doręczenia mailbox (UA API 3.0.8) for tests, held to the published contract.

Every request our client sends is matched to a path and method of `shared/data/edoreczenia/uaapi-3.0.8.yaml`, its
path and query parameters are checked against the declared parameters (name, type, enum, maxItems) and JSON bodies
against the request schema; every JSON response the fake gives is validated against the yaml's response schema for
that status code, in a *strict* copy of the components (objects may not carry properties the yaml does not declare,
so the fake cannot drift from the contract unnoticed). Problems are collected in `violations`, which the tests
assert empty (an exception inside the transport would be swallowed by the importer as a failed message)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import httpx
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from registry.channels.edoreczenia.client import Client, Config

BASE_DIR = Path(__file__).resolve().parents[2]
YAML_CANDIDATES = [
    BASE_DIR.parent / "shared" / "data" / "edoreczenia" / "uaapi-3.0.8.yaml",
    Path("/work/shared/data/edoreczenia/uaapi-3.0.8.yaml"),
]
BASE_URL = "https://uaapi.test/api/v1"
TOKEN_URL = "https://auth.test/oauth2/token"
ADE = "AE:PL-28080-40239-TUSBF-26"


def yaml_path() -> Path:
    """The published yaml: $UAAPI_YAML, else shared/ beside the repository (as on the developers' machines and CI)."""
    candidates = [Path(os.environ["UAAPI_YAML"])] if os.environ.get("UAAPI_YAML") else []
    for candidate in candidates + YAML_CANDIDATES:
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        "The UA API contract shared/data/edoreczenia/uaapi-3.0.8.yaml was not found beside the repository; "
        "set UAAPI_YAML to its path."
    )


@cache
def spec() -> dict:
    return yaml.safe_load(yaml_path().read_text(encoding="utf-8"))


def _strict(node):
    """Deep copy where every object schema with properties forbids undeclared ones."""
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
            for name in out.get("required", []):  # the yaml requires a few names it never declares
                out["properties"].setdefault(name, {})
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


@cache
def strict_components() -> dict:
    return _strict(copy.deepcopy(spec()["components"]))


@cache
def _validator(schema_json: str) -> OAS30Validator:
    root = {**json.loads(schema_json), "components": strict_components()}
    return OAS30Validator(root, format_checker=oas30_format_checker)


def schema_errors(instance, schema: dict) -> list[str]:
    validator = _validator(json.dumps(schema, sort_keys=True))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def component(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


@cache
def _routes() -> list[tuple[re.Pattern, str, int]]:
    routes = []
    for template in spec()["paths"]:
        pattern = re.sub(r"\{[^/]+\}", "([^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
        literal = sum(1 for part in template.split("/") if part and not part.startswith("{"))
        routes.append((re.compile(f"^{pattern}$"), template, literal))
    return routes


def match_path(path: str) -> tuple[str, dict] | None:
    """(yaml path template, path parameters) for a request path under /api/v1, the most literal match first."""
    found = []
    for regex, template, literal in _routes():
        m = regex.match(path)
        if m:
            names = re.findall(r"\{([^/]+)\}", template)
            found.append((literal, template, dict(zip(names, [unquote(g) for g in m.groups()], strict=True))))
    if not found:
        return None
    found.sort(key=lambda f: -f[0])
    return found[0][1], found[0][2]


def _coerce(value: str, schema: dict):
    kind = schema.get("type")
    if kind == "integer":
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    if kind == "array":  # style simple: comma-separated
        return value.split(",")
    return value


def sha3(data: bytes) -> str:
    return hashlib.sha3_256(data).hexdigest()


def attachment(order: int, name: str, data: bytes, *, inline=True, content_type="application/pdf", digest=None):
    meta = {
        "fileId": f"F-{order}-{abs(hash(name)) % 10**8}",
        "filename": name,
        "contentType": content_type,
        "size": len(data),
        "alg": "SHA-3",
        "hash": digest if digest is not None else sha3(data),
    }
    file_data = {"fileMetadata": meta}
    if inline:
        file_data["file"] = base64.b64encode(data).decode("ascii")
    return {"order": order, "attachmentId": meta["fileId"], "file": file_data}


def evidence(message_id: str, code: str, when: str, number: int = 1) -> dict:
    return {
        "evidenceId": f"EV-{code}-{message_id}-{number}",
        "messageId": message_id,
        "type": code,
        "eventDate": when,
        "createDate": when,
        "downloaded": False,
    }


def message(
    message_id: str,
    *,
    subject="Wniosek o wydanie decyzji o warunkach zabudowy",
    sender_ade="AE:PL-43563-82585-JHWCF-30",
    company="Budimex Zielona Dolina sp. z o.o.",
    case_id="",
    text="W załączeniu wniosek i mapa.",
    attachments=(),
    evidences=None,
    received="2026-11-20T08:15:30Z",
    message_type="Message",
) -> dict:
    metadata = {
        "from": {"eDeliveryAddress": sender_ade, "contributor": {"companyName": company}},
        "to": [{"eDeliveryAddress": ADE}],
        "subject": subject,
        "messageId": message_id,
        "threadId": f"T-{message_id}",
        "timestamp": "2026-11-20T08:15:29Z",
        "submissionDate": "2026-11-20T08:10:00Z",
        "eventDate": "2026-11-20T08:10:01Z",
        "shippingService": "electronic",
    }
    if case_id:
        metadata["caseId"] = case_id
    if evidences is None:
        evidences = [evidence(message_id, "A.1", "2026-11-20T08:10:01Z"), evidence(message_id, "E.1", received)]
    result = {
        "messageControlData": {
            "opened": True, "status": "Doręczona", "messageType": message_type,
            "labels": [{"label": "INBOX", "messageLocation": "INBOX"}],
        },
        "messageMetadata": metadata,
        "attachments": list(attachments),
        "evidences": evidences,
    }
    if text:
        result["textBody"] = text
    return result


@dataclass
class FakeMailbox:
    ade: str = ADE
    messages: dict = field(default_factory=dict)  # messageId -> Message (fullExtended)
    pending: dict = field(default_factory=dict)  # messageId -> how many more 202 answers
    keep_after_delete: bool = False  # a mailbox that still lists a deleted message (tests idempotency)
    fail_get: set = field(default_factory=set)  # messageIds answered with 400
    answer_instead: dict = field(default_factory=dict)  # messageId -> the other message a faulty service returns
    evidence_size: int = 0  # pad evidence files to this many bytes (the size limit)
    # The send half: drafts, messages sent (the SENT folder), send tasks, and faults to inject.
    drafts: dict = field(default_factory=dict)  # draft messageId -> Message
    sent: dict = field(default_factory=dict)  # messageId -> Message (with evidences)
    tasks: dict = field(default_factory=dict)  # messageTaskId -> [messageId]
    send_faults: list = field(default_factory=list)  # per POST /drafts/send, in order: 503 or "timeout-after"
    sends: int = 0
    violations: list = field(default_factory=list)
    calls: list = field(default_factory=list)  # (method, yaml path template, path params, query)
    deleted: list = field(default_factory=list)
    evidence_downloads: list = field(default_factory=list)
    tokens_issued: int = 0

    def add(self, msg: dict) -> None:
        self.messages[msg["messageMetadata"]["messageId"]] = msg

    def client(self, **kwargs) -> Client:
        config = Config(url=BASE_URL, ade=self.ade, token_url=TOKEN_URL, client_id=self.ade, timeout=5)
        sleeps = kwargs.pop("sleeps", None)
        sleep = sleeps.append if sleeps is not None else (lambda s: None)
        return Client(config, transport=httpx.MockTransport(self.handle), sleep=sleep, **kwargs)

    def count(self, method: str, template: str) -> int:
        return sum(1 for c in self.calls if c[0] == method and c[1] == template)

    # ---------------------------------------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        fault = None
        if request.method == "POST" and request.url.path.endswith("/drafts/send") and self.send_faults:
            fault = self.send_faults.pop(0)
            if fault == 503:
                return httpx.Response(503, json=[{"error": "UNAVAILABLE", "error_description": "przeciążenie"}])
        response = self._handle(request)
        if fault == "timeout-after":  # the service did the work, but the answer never came back
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    def _handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url.startswith(TOKEN_URL):
            return self._token(request)
        if not url.startswith(BASE_URL + "/"):
            self.violations.append(f"request outside the API: {url}")
            return httpx.Response(404)
        path = request.url.raw_path.decode("ascii").split("?")[0][len("/api/v1"):]
        matched = match_path(path)
        if matched is None:
            self.violations.append(f"{request.method} {path}: no such path in the yaml")
            return httpx.Response(404)
        template, params = matched
        operation = spec()["paths"][template].get(request.method.lower())
        if operation is None:
            self.violations.append(f"{request.method} {template}: no such operation in the yaml")
            return httpx.Response(405)
        self._check_request(request, template, operation, params)
        self.calls.append((request.method, template, params, dict(request.url.params)))
        status, body, content_type = self._answer(request, template, params)
        if content_type == "application/json":
            self._check_response(template, request.method.lower(), status, body)
            return httpx.Response(status, json=body)
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()))
        if request.method != "POST" or form.get("grant_type") != "client_credentials":
            self.violations.append(f"token request: {request.method} {form}")
        self.tokens_issued += 1
        return httpx.Response(200, json={"access_token": f"token-{self.tokens_issued}", "token_type": "Bearer",
                                         "expires_in": 300})

    def _check_request(self, request, template, operation, params) -> None:
        where = f"{request.method} {template}"
        if not request.headers.get("Authorization", "").startswith("Bearer token-"):
            self.violations.append(f"{where}: no bearer token")
        declared = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
        for name, value in params.items():
            p = declared.get(("path", name))
            if p is None:
                self.violations.append(f"{where}: path parameter {name} not declared")
                continue
            for error in schema_errors(_coerce(value, p["schema"]), p["schema"]):
                self.violations.append(f"{where}: path {name}: {error}")
        if params.get("eDeliveryAddress", self.ade) != self.ade:
            self.violations.append(f"{where}: wrong mailbox {params['eDeliveryAddress']}")
        for name, value in request.url.params.multi_items():
            p = declared.get(("query", name))
            if p is None:
                self.violations.append(f"{where}: query parameter {name} not declared")
                continue
            for error in schema_errors(_coerce(value, p["schema"]), p["schema"]):
                self.violations.append(f"{where}: query {name}={value}: {error}")
        for (where_in, name), p in declared.items():
            if p.get("required") and where_in == "query" and name not in request.url.params:
                self.violations.append(f"{where}: required query parameter {name} missing")
        body = operation.get("requestBody")
        if body and "$ref" in body:
            body = spec()["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[-1]]
        if body:
            schema = body["content"].get("application/json", {}).get("schema")
            if schema is not None:
                try:
                    payload = json.loads(request.content)
                except ValueError:
                    self.violations.append(f"{where}: body is not JSON")
                else:
                    for error in schema_errors(payload, schema):
                        self.violations.append(f"{where}: body: {error}")
        elif request.content:
            self.violations.append(f"{where}: a body where the yaml declares none")

    def _check_response(self, template, method, status, body) -> None:
        responses = spec()["paths"][template][method]["responses"]
        declared = responses.get(status) or responses.get(str(status))
        if declared is None:
            self.violations.append(f"{method.upper()} {template}: status {status} not declared")
            return
        if "$ref" in declared:
            declared = spec()["components"]["responses"][declared["$ref"].rsplit("/", 1)[-1]]
        schema = declared["content"]["application/json"]["schema"]
        for error in schema_errors(body, schema):
            self.violations.append(f"{method.upper()} {template} → {status}: {error}")

    def _answer(self, request, template, params):
        mid = params.get("messageId")
        answer = self._answer_send(request, template, params)
        if answer is not None:
            return answer
        if template == "/{eDeliveryAddress}/messages" and request.method == "GET":
            offset = int(request.url.params.get("offset", 0))
            limit = int(request.url.params.get("limit", 20))
            if request.url.params.get("label") == "SENT":
                return self._list_sent(request)
            listed = list(self.messages)
            page = listed[offset:offset + limit]
            minimal = [
                {"messageMetadata": {"messageId": m, "shippingService": "electronic"}} for m in page
            ]
            return 200, {"messages": minimal, "resultSize": len(page), "total": len(listed)}, "application/json"
        if template == "/{eDeliveryAddress}/messages/{messageId}":
            if mid in self.sent and request.method == "GET":
                return 200, [self._sent_view(mid, request.url.params.get("format", "full"))], "application/json"
            if mid not in self.messages or mid in self.fail_get:
                return 400, [{"error": "NOT_FOUND", "error_description": "Brak wiadomości", "messageId": mid}], \
                    "application/json"
            if request.method == "DELETE":
                self.deleted.append(mid)
                if not self.keep_after_delete:
                    del self.messages[mid]
                return 200, [{"messageId": mid}], "application/json"
            if self.pending.get(mid):
                self.pending[mid] -= 1
                return 202, {"status": "IN_PROGRESS"}, "application/json"
            return 200, [self.messages[self.answer_instead.get(mid, mid)]], "application/json"
        if template == "/{eDeliveryAddress}/messages/{messageId}/evidences":
            found = self.sent.get(mid) or self.messages.get(mid, {})
            return 200, {"evidences": found.get("evidences", [])}, "application/json"
        if template == "/{eDeliveryAddress}/messages/{messageId}/attachments/{attachmentId}":
            found = self._find_attachment(mid, params["attachmentId"])
            return 200, found, "application/json"
        if template == "/{eDeliveryAddress}/evidences/{messageType}/{evidenceId}":
            self.evidence_downloads.append((params["messageType"], params["evidenceId"]))
            body = f'<?xml version="1.0"?><Evidence id="{params["evidenceId"]}"/>'.encode()
            body += b" " * max(0, self.evidence_size - len(body))
            return 200, body, "application/octet-stream"
        if template == "/{eDeliveryAddress}/attachments/download":
            payload = json.loads(request.content)
            found = self._find_attachment(payload["messageId"], payload["attachmentId"])
            return 200, base64.b64decode(found["file"]["file"]), "application/octet-stream"
        self.violations.append(f"{request.method} {template}: the fake does not answer this")
        return 400, [{"error": "UNSUPPORTED", "error_description": "fake"}], "application/json"

    # --- sending -------------------------------------------------------------------------------------------------
    def _answer_send(self, request, template, params):
        mid = params.get("messageId")
        if template == "/{eDeliveryAddress}/drafts" and request.method == "POST":
            draft = json.loads(request.content)
            draft_id = f"D-{len(self.drafts) + len(self.sent) + 1}"
            draft.setdefault("messageMetadata", {})["messageId"] = draft_id
            draft["attachments"] = []
            self.drafts[draft_id] = draft
            return 200, {"messageId": draft_id}, "application/json"
        if template == "/{eDeliveryAddress}/drafts" and request.method == "GET":
            subject = request.url.params.get("subject")
            found = [
                {"messageMetadata": {k: v for k, v in d["messageMetadata"].items() if k != "additionalData"}}
                for d in self.drafts.values() if not subject or d["messageMetadata"].get("subject") == subject
            ]
            return 200, {"messages": found, "resultSize": len(found), "total": len(found)}, "application/json"
        if template == "/{eDeliveryAddress}/drafts/{messageId}" and request.method == "GET":
            if mid not in self.drafts:
                return 400, [{"error": "NOT_FOUND", "error_description": "Brak wiadomości"}], "application/json"
            return 200, self.drafts[mid], "application/json"
        if template == "/{eDeliveryAddress}/drafts/{messageId}/attachments" and request.method == "POST":
            if mid not in self.drafts:
                return 400, [{"error": "NOT_FOUND", "error_description": "Brak wiadomości"}], "application/json"
            data = json.loads(request.content)
            content = base64.b64decode(data["file"])
            meta = data["fileMetadata"]
            if meta.get("hash") != sha3(content) or meta.get("size") != len(content):
                self.violations.append(f"attachment {meta.get('filename')}: hash or size does not match")
            draft = self.drafts[mid]
            draft["attachments"].append({"order": len(draft["attachments"]) + 1, "attachmentId": meta["fileId"],
                                         "file": {"fileMetadata": meta}})
            return 200, {"attachmentId": meta["fileId"], "fileMetadata": meta}, "application/json"
        if template == "/{eDeliveryAddress}/drafts/send" and request.method == "POST":
            draft_id = json.loads(request.content)["messageId"]
            if draft_id not in self.drafts:
                return 400, [{"error": "NOT_FOUND", "error_description": "Brak wiadomości"}], "application/json"
            self.sends += 1
            draft = self.drafts.pop(draft_id)
            message_id = f"S-{self.sends}"
            draft["messageMetadata"]["messageId"] = message_id
            draft["messageMetadata"]["threadId"] = draft["messageMetadata"].get("threadId") or f"T-{message_id}"
            draft["messageControlData"] = {"status": "Nadana", "messageType": "Message",
                                           "labels": [{"label": "SENT", "messageLocation": "SENT"}]}
            draft["evidences"] = [evidence(message_id, "A.1", "2026-12-01T09:00:00Z")]
            self.sent[message_id] = draft
            task_id = f"TASK-{self.sends}"
            self.tasks[task_id] = [message_id]
            return 202, {"messageTaskId": task_id}, "application/json"
        if template == "/{eDeliveryAddress}/messages/tasks/{messageTaskId}":
            ids = self.tasks.get(params["messageTaskId"])
            if ids is None:
                return 400, [{"error": "NOT_FOUND", "error_description": "Brak zadania"}], "application/json"
            # The yaml requires addresseeAde and status without declaring them (a gap, docs/channels.md).
            rows = [{"messageId": m, "addressee": self.sent[m]["messageMetadata"]["to"][0],
                     "addresseeAde": self.sent[m]["messageMetadata"]["to"][0].get("eDeliveryAddress", ""),
                     "status": self.sent[m]["messageControlData"]["status"]} for m in ids]
            return 200, rows, "application/json"
        return None

    def _list_sent(self, request):
        subject, recipient = request.url.params.get("subject"), request.url.params.get("recipient")
        found = [
            {"messageMetadata": {"messageId": m, "shippingService": "electronic"}}
            for m, msg in self.sent.items()
            if (not subject or msg["messageMetadata"].get("subject") == subject)
            and (not recipient or any(t.get("eDeliveryAddress") == recipient for t in msg["messageMetadata"]["to"]))
        ]
        return 200, {"messages": found, "resultSize": len(found), "total": len(found)}, "application/json"

    def _sent_view(self, message_id: str, fmt: str) -> dict:
        msg = copy.deepcopy(self.sent[message_id])
        if fmt == "metadata":
            msg.pop("attachments", None)
            msg.pop("evidences", None)
            msg["messageMetadata"].pop("additionalData", None)
        return msg

    def add_evidence(self, message_id: str, code: str, when: str, status: str | None = None) -> dict:
        """The service produced an evidence for a message we sent (and, with `status`, changed its status)."""
        ev = evidence(message_id, code, when, number=len(self.sent[message_id]["evidences"]) + 1)
        self.sent[message_id]["evidences"].append(ev)
        if status:
            self.sent[message_id]["messageControlData"]["status"] = status
        return ev

    # Attachments held back from the message body (large or "by id") are kept here with their content.
    stored_content: dict = field(default_factory=dict)

    def _find_attachment(self, message_id: str, attachment_id: str) -> dict:
        for att in self.messages.get(message_id, {}).get("attachments", []):
            if att["attachmentId"] == attachment_id:
                full = copy.deepcopy(att)
                full["file"]["file"] = self.stored_content[attachment_id]
                return full
        raise KeyError(attachment_id)

    def hold_back(self, att: dict) -> dict:
        """Move the inline content out of the message, so the client must download it."""
        self.stored_content[att["attachmentId"]] = att["file"].pop("file")
        return att
