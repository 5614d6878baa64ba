"""Pages of the registry: thin views. Reads go through `scope_for(user)`; writes through `registry.services`.

One module per register; the names are re-exported here for `registry.urls`."""

from registry.views.cases import (
    case_class,
    case_create,
    case_detail,
    case_document,
    case_list,
    case_party,
    case_status,
    case_worker,
)
from registry.views.correspondents import (
    correspondent_create,
    correspondent_detail,
    correspondent_edit,
    correspondent_list,
    correspondent_merge,
    correspondent_search,
)
from registry.views.deliveries import delivery_attach, delivery_create, delivery_detail, delivery_list
from registry.views.desk import home
from registry.views.documents import (
    document_detail,
    document_download,
    document_page,
    document_version,
    version_page_image,
    version_thumbnail,
)
from registry.views.jrwa_classes import jrwa, jrwa_search
from registry.views.metryka import case_metryka_export
from registry.views.outgoing import outgoing_create, outgoing_detail, outgoing_list
from registry.views.register_print import incoming_register_pdf, outgoing_register_pdf
from registry.views.spis_spraw import case_register

__all__ = [
    "case_class",
    "case_create",
    "case_detail",
    "case_document",
    "case_list",
    "case_metryka_export",
    "case_party",
    "case_register",
    "case_status",
    "case_worker",
    "correspondent_create",
    "correspondent_detail",
    "correspondent_edit",
    "correspondent_list",
    "correspondent_merge",
    "correspondent_search",
    "delivery_attach",
    "delivery_create",
    "delivery_detail",
    "delivery_list",
    "document_detail",
    "document_download",
    "document_page",
    "document_version",
    "home",
    "incoming_register_pdf",
    "jrwa",
    "jrwa_search",
    "outgoing_create",
    "outgoing_detail",
    "outgoing_list",
    "outgoing_register_pdf",
    "version_page_image",
    "version_thumbnail",
]
