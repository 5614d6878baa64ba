"""A multipart parser that refuses dangerous file names instead of silently rewriting them.

Django's own parser keeps only the last path component and drops control characters; a client that sent
`../../etc/passwd` would then see its file stored as `passwd` and never learn that its name was wrong."""

import html

from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser

from registry.validators import validate_file_name


class _StrictDjangoParser(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name):
        raw = html.unescape(file_name)
        try:
            validate_file_name(raw)
        except Exception as exc:
            raise ParseError(
                _("File name “%(name)s” was refused: %(reason)s")
                % {"name": raw.encode("unicode_escape").decode("ascii"), "reason": " ".join(exc.messages)}
            ) from exc
        return super().sanitize_file_name(file_name)


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        encoding = parser_context.get("encoding", "utf-8")
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = _StrictDjangoParser(meta, stream, request.upload_handlers, encoding)
            data, files = parser.parse()
            return DataAndFiles(data, files)
        except MultiPartParserError as exc:
            raise ParseError(_("Multipart form parse error: %(error)s") % {"error": exc}) from exc
