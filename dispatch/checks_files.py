"""The file versions a shipment sends (the current version of each chosen document)."""


def versions_to_send(shipment) -> list:
    result = []
    for document in shipment.documents.order_by("pk").prefetch_related("versions"):
        version = document.current_version
        if version is not None:
            result.append(version)
    return result
