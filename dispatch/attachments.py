"""The service's rules for attachments, checked before anything is sent (domain.md § 4.4, COI R1/R2): file names
unique in the message, no spaces and none of ~ " # % & * : < > ? ! / \\ { | }, at most 128 characters with the
extension, the extension in lower case and of an allowed type; the hybrid service takes PDF only. Larger files than
15 MB need the separate upload endpoint, which Obieg does not use yet, so they are refused with a clear reason."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

FORBIDDEN = set('~"#%&*:<>?!/\\{|}')
MAX_NAME = 128
MAX_SIZE = 15 * 1024 * 1024
ALLOWED = {
    "txt", "rtf", "pdf", "xps", "odt", "ods", "odp", "doc", "xls", "ppt", "docx", "xlsx", "pptx", "csv", "jpg",
    "jpeg", "tif", "tiff", "geotiff", "png", "svg", "wav", "mp3", "avi", "mpg", "mpeg", "mp4", "m4a", "mpeg4", "ogg",
    "ogv", "zip", "tar", "gz", "gzip", "7z", "html", "xhtml", "css", "xml", "xsd", "gml", "rng", "xsl", "xslt",
    "tsl", "xades", "pades", "cades", "asic", "asice", "asics", "sig", "dwg", "dwf", "dxf", "dgn", "jp2",
}


@dataclass
class File:
    name: str
    size: int
    content_type: str


def name_problem(name: str) -> str | None:
    if not name:
        return _("A file has no name.")
    if " " in name or any(ch.isspace() for ch in name):
        return _("The file name “%(name)s” contains spaces, which the service refuses.") % {"name": name}
    bad = sorted({ch for ch in name if ch in FORBIDDEN})
    if bad:
        return _("The file name “%(name)s” contains characters the service refuses: %(chars)s") % {
            "name": name, "chars": " ".join(bad)}
    if len(name) > MAX_NAME:
        return _("The file name “%(name)s” is longer than %(n)s characters.") % {"name": name[:40] + "…", "n": MAX_NAME}
    if "." not in name.strip("."):
        return _("The file name “%(name)s” has no extension.") % {"name": name}
    ext = name.rsplit(".", 1)[1]
    if ext != ext.lower():
        return _("The extension of “%(name)s” must be in lower case.") % {"name": name}
    if ext not in ALLOWED:
        return _("Files of type .%(ext)s (“%(name)s”) cannot be sent through e-Doręczenia.") % {
            "ext": ext, "name": name}
    return None


def problems(files: list[File], *, hybrid: bool = False) -> list[str]:
    found = []
    seen = set()
    if not files:
        found.append(_("There is nothing to send: choose at least one document."))
    for f in files:
        problem = name_problem(f.name)
        if problem:
            found.append(problem)
        if f.name in seen:
            found.append(_("Two files are called “%(name)s”; names must be unique in a message.") % {"name": f.name})
        seen.add(f.name)
        if f.size > MAX_SIZE:
            found.append(_("“%(name)s” is larger than 15 MB (%(mb).1f MB); the service takes larger files only "
                           "through a separate upload, which is not available yet.") % {
                               "name": f.name, "mb": f.size / 1024 / 1024})
        if hybrid and f.content_type != "application/pdf":
            found.append(_("The hybrid service prints PDF files only; “%(name)s” is not a PDF.") % {"name": f.name})
    return found
