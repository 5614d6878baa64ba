"""E-mail messages (RFC 5322 / MIME, .eml), parsed with the standard library's ``email`` package and
``email.policy.default``.

The text is the headers a clerk searches by (From, To, Cc, Subject, Date; RFC 2047 encoded words decoded) and the
body: text/plain parts in their declared charset (or detected, when the declaration is missing or wrong), text/html
through the HTML extractor when an alternative has no plain part. Attachments are not read – they are documents of
their own – only their file names are listed. Forwarded messages (message/rfc822 parts) are included, headers and
body, down to ``MAX_NESTING`` levels.

Hostile messages: the parser is fed in small chunks and stops once ``max_email_parts`` parts were created (so a
message with a million tiny parts, or parts nested a thousand deep, is never built); header values are capped and
long ones are decoded without the structured (address) parser, which is quadratic on some inputs; anything the
``email`` package raises becomes ``CorruptFile``."""

import codecs
import contextlib
import re

from search.extraction.errors import CorruptFile
from search.extraction.limits import Limits

HEADERS = ("From", "To", "Cc", "Subject", "Date")
MAX_NESTING = 3  # forwarded messages within forwarded messages
MAX_MULTIPART_DEPTH = 30
MAX_HEADER_INSTANCES = 5  # of each header name
MAX_HEADER_CHARS = 16 * 1024
STRUCTURED_HEADER_CHARS = 1000  # longer values skip policy.default's header parser (quadratic on '"""…')
MAX_NAME_CHARS = 255
MAX_MIME_HEADER_CHARS = 2000
MIME_HEADER_BUDGET = 32 * 1024
_FEED_CHUNK = 4096  # small: at most a few hundred parts (nesting levels) are created past the part limit
_UNSAFE_CODECS = {"punycode", "idna"}  # quadratic decoders
_UNDECLARED = {"us-ascii", "ascii", "unknown-8bit", "x-unknown", "x-user-defined", "default"}

# header field: printable ASCII except ':' (RFC 5322 §2.2), then a colon
_HEADER_LINE = re.compile(rb"[!-9;-~]{1,200}:")
_MAIL_HEADERS = {
    b"from", b"to", b"cc", b"bcc", b"subject", b"date", b"message-id", b"mime-version", b"received", b"return-path",
    b"content-type", b"content-transfer-encoding", b"reply-to", b"sender", b"delivered-to", b"in-reply-to",
    b"references", b"x-mailer", b"user-agent", b"dkim-signature", b"authentication-results", b"thread-topic",
    b"thread-index", b"x-originating-ip", b"importance", b"x-priority", b"content-language",
}
# Fields mail software writes and a person typing a memo does not.
_MACHINE_HEADERS = {
    b"date", b"message-id", b"mime-version", b"received", b"return-path", b"content-type", b"dkim-signature",
    b"delivered-to", b"x-mailer", b"user-agent", b"authentication-results", b"thread-index",
}
SNIFF_BYTES = 64 * 1024
_B64_LINE = re.compile(rb"[A-Za-z0-9+/=]+\r?")


def looks_like_email(head: bytes) -> bool:
    """Whether the start of a file (``SNIFF_BYTES`` of it) is a message header block: an optional mbox "From " line,
    then only header lines (``Name: value`` or folded continuations) up to an empty line, with a From (or
    Sender/Return-Path) and at least one field that mail software writes (Date, Message-ID, MIME-Version, Received,
    …). A note typed as "From: …\\nTo: …\\n\\n…" is not a message: it is read as plain text, verbatim."""
    full = len(head) >= SNIFF_BYTES
    lines = head.split(b"\n")
    if full:
        lines = lines[:-1]  # the last one may be cut
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    names: list[bytes] = []
    ended = False
    for line in lines:
        line = line.rstrip(b"\r")
        if not line:
            ended = True
            break
        if line[:1] in (b" ", b"\t"):
            if not names:
                return False
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.append(match.group()[:-1].lower())
    if not ended and not full:
        return False
    found = set(names)
    return (
        bool(found & {b"from", b"sender", b"return-path"})
        and bool(found & _MACHINE_HEADERS)
        and len(found & _MAIL_HEADERS) >= 3
    )


def drop_encoded_attachments(data: bytes, min_lines: int = 20_000) -> bytes:
    """Remove runs of ``min_lines`` or more base64 lines (≥ 1.5 MB: attachments, never a text body) so that a
    message with big attachments fits the ceiling of in-memory parsing. Linear; used only for big messages."""
    out: list[bytes] = []
    run: list[bytes] = []
    for line in data.split(b"\n"):
        if _B64_LINE.fullmatch(line):
            run.append(line)
            continue
        if len(run) < min_lines:
            out.extend(run)
        run = []
        out.append(line)
    if len(run) < min_lines:
        out.extend(run)
    return b"\n".join(out)


def _policy():
    """policy.default, with every header value capped when the message is read, MIME headers (Content-Type, …:
    parsed on every access by a parser that is quadratic on some inputs) capped harder once 32 KB of them were
    seen, and parsed header values memoised; a header the parser chokes on counts as empty."""
    from email.policy import EmailPolicy, default

    state = {"mime_chars": 0}
    cache: dict = {}

    class CappedPolicy(EmailPolicy):
        def header_source_parse(self, sourcelines):
            name, value = super().header_source_parse(sourcelines)
            if name.lower().startswith("content-"):
                cap = MAX_MIME_HEADER_CHARS if state["mime_chars"] < MIME_HEADER_BUDGET else 256
                value = value[:cap]
                state["mime_chars"] += len(value)
            return name, value[:MAX_HEADER_CHARS]

        def header_fetch_parse(self, name, value):
            key = (name.lower(), value)
            if key not in cache:
                try:
                    cache[key] = super().header_fetch_parse(name, value)
                except Exception:  # RecursionError on "((((…", HeaderParseError, …
                    cache[key] = super().header_fetch_parse(name, "")
            return cache[key]

    return CappedPolicy(**{name: getattr(default, name) for name in ("utf8", "refold_source", "header_factory",
                                                                         "content_manager", "raise_on_defect")})


def _parse(data: bytes, limits: Limits):
    from email.feedparser import BytesFeedParser
    from email.message import EmailMessage

    created = 0
    policy = _policy()

    def factory(policy=policy):
        nonlocal created
        created += 1
        return EmailMessage(policy=policy)

    parser = BytesFeedParser(_factory=factory, policy=policy)
    created = 0  # the parser calls the factory once to try it
    truncated = False
    for start in range(0, len(data), _FEED_CHUNK):
        parser.feed(data[start : start + _FEED_CHUNK])
        if created > limits.max_email_parts:
            truncated = True
            break
    return parser.close(), truncated


def _unescape(value: str) -> str:
    """8-bit header bytes arrive as surrogate escapes: decode them as UTF-8, CP1250 or ISO-8859-2."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    from search.extraction.plain import decode_text

    return decode_text(value.encode("ascii", "surrogateescape"))[0]


def _decode_header(name: str, raw: str) -> str:
    from email import policy
    from email.header import decode_header, make_header

    raw = _unescape(raw[:MAX_HEADER_CHARS])
    raw = re.sub(r"\r?\n[ \t]", " ", raw).replace("\r", " ").replace("\n", " ")
    if len(raw) <= STRUCTURED_HEADER_CHARS:
        try:
            return str(policy.default.header_fetch_parse(name, raw))
        except Exception:  # RecursionError, HeaderParseError, …: fall back to the plain decoder
            pass
    try:
        return str(make_header(decode_header(raw)))
    except Exception:  # unknown charsets, broken encoded words: keep the raw value
        return raw


class _Walker:
    def __init__(self, limits: Limits, truncated: bool):
        self.limits = limits
        self.out: list[str] = []
        self.chars = 0
        self.parts = 0
        self.truncated = truncated

    def add(self, text: str) -> None:
        text = text.strip()
        if text:
            self.out.append(text)
            self.chars += len(text) + 1

    @property
    def full(self) -> bool:
        return self.chars > self.limits.max_chars

    def message(self, message, nesting: int) -> None:
        wanted = {name.lower(): name for name in HEADERS}
        values: dict[str, list[str]] = {name: [] for name in HEADERS}
        for name, raw in message.raw_items():
            key = wanted.get(str(name).lower())
            if key and len(values[key]) < MAX_HEADER_INSTANCES:
                values[key].append(_decode_header(key, str(raw)))
        self.add("\n".join(f"{name}: {value}" for name in HEADERS for value in values[name] if value.strip()))
        self.body(message, nesting, 0)

    def attachment_name(self, part) -> None:
        try:
            name = part.get_filename()
        except Exception:  # a broken RFC 2231 parameter
            name = None
        if name:
            self.add(_unescape(str(name))[:MAX_NAME_CHARS].replace("\n", " "))

    def attachment_names(self, part, depth: int) -> None:
        """Only the names of the attachments in a part whose text is not read."""
        self.parts += 1
        if self.parts > self.limits.max_email_parts or depth > MAX_MULTIPART_DEPTH:
            self.truncated = True
            return
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            for subpart in part.get_payload() or []:
                if hasattr(subpart, "get_content_type"):
                    self.attachment_names(subpart, depth + 1)
        elif _is_attachment(part) or part.get_content_maintype() != "text":
            self.attachment_name(part)

    def body(self, part, nesting: int, depth: int) -> None:
        self.parts += 1
        if self.parts > self.limits.max_email_parts or depth > MAX_MULTIPART_DEPTH:
            self.truncated = True
            return
        if self.full:
            self.truncated = True
            return
        content_type = part.get_content_type()
        if part.is_multipart():
            subparts = [p for p in (part.get_payload() or []) if hasattr(p, "get_content_type")]
            if content_type == "message/rfc822" or part.get_content_maintype() == "message":
                self.attachment_name(part)
                if subparts and nesting < MAX_NESTING:
                    self.message(subparts[0], nesting + 1)
                return
            if content_type == "multipart/alternative" and subparts:
                plain = [p for p in subparts if p.get_content_type() == "text/plain" and not _is_attachment(p)]
                before = len(self.out)
                chosen = plain[0] if plain else subparts[-1]
                self.body(chosen, nesting, depth + 1)
                if len(self.out) == before and chosen is not subparts[-1]:
                    chosen = subparts[-1]  # an empty plain part: the richest alternative
                    self.body(chosen, nesting, depth + 1)
                for subpart in subparts:  # Apple Mail puts the attachments in the HTML alternative
                    if subpart is not chosen:
                        self.attachment_names(subpart, depth + 1)
                return
            for subpart in subparts:
                self.body(subpart, nesting, depth + 1)
            return
        if _is_attachment(part):
            self.attachment_name(part)
        elif content_type == "text/plain":
            self.add(_body_text(part))
        elif content_type == "text/html":
            from search.extraction.plain import extract_html

            with contextlib.suppress(CorruptFile):  # an unreadable HTML part adds nothing
                # without a MIME charset, the HTML extractor decodes the bytes by their <meta charset>
                self.add(extract_html(_body_text(part) if _declared_charset(part) else _payload(part)))
        else:
            self.attachment_name(part)


def _is_attachment(part) -> bool:
    if part.get_content_disposition() == "attachment":
        return True
    return part.get_content_type() not in ("text/plain", "text/html") and part.get_param("name") is not None


def _payload(part) -> bytes:
    payload = part.get_payload(decode=True)  # base64, quoted-printable, uuencode; broken data gives defects
    if not payload:
        return b""
    if not isinstance(payload, bytes):
        payload = str(payload).encode("utf-8", "surrogateescape")
    return payload


def _declared_charset(part) -> str | None:
    """The codec of the part's declared charset; None when there is none, it means nothing (us-ascii: 8-bit text
    is sent with it all the time) or Python has no safe text codec of that name."""
    charset = (part.get_content_charset() or "").strip().lower()
    if not charset or charset in _UNDECLARED:
        return None
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return None
    return None if codec.name in _UNSAFE_CODECS else codec.name


def _body_text(part) -> str:
    from search.extraction.plain import decode_text

    payload = _payload(part)
    codec = _declared_charset(part)
    if codec:
        try:
            return payload.decode(codec, "replace")
        except (LookupError, TypeError, ValueError):  # not a text encoding: base64, zlib, rot13, …
            pass
    return decode_text(payload)[0]


def extract_email(data: bytes, limits: Limits) -> tuple[str, bool]:
    """(text, truncated): truncated when the part or character limit stopped the reading."""
    try:
        root, truncated = _parse(data.removeprefix(b"\xef\xbb\xbf"), limits)
        walker = _Walker(limits, truncated)
        walker.message(root, 0)
    except Exception as exc:  # the email package raises many kinds of errors on broken input
        raise CorruptFile(detail=repr(exc)[:500], kind="EML") from exc
    text = "\n\n".join(walker.out)
    # lone surrogates (undecodable bytes) cannot be stored
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text, walker.truncated
