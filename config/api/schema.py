"""OpenAPI post-processing for our conventions."""


def sparse_fields_are_optional(result, generator, request, public):
    """``?brief=1`` and ``?fields=`` return a subset of an object's fields, so none is required in responses.

    Request bodies (the ``…Request`` components) keep their required fields,
    and paginated envelopes keep ``count`` and ``results``.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or name.startswith("Paginated") or name.startswith("FigureSummary"):
            continue
        if component.get("type") == "object":
            component.pop("required", None)
    return result
