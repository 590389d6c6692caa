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


ERROR_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "description": "{\"detail\": message} or {parameter or field: [messages]}",
            "additionalProperties": True,
        }
    }
}
ERRORS = {
    "400": "参数或数据无效，消息指明哪个参数 (a filter value or the data is invalid; the message names it)",
    "404": "不存在，或对当前用户不可见 (does not exist, or not visible to you)",
    "429": "请求过多，见 Retry-After (throttled; see Retry-After)",
}
WRITE_ERRORS = {
    "401": "需要令牌认证 (token authentication required)",
    "403": "没有相应的模型权限 (missing model permission)",
    "409": "版本冲突或仍被引用 (edit conflict, or still referred to)",
}


def document_error_responses(result, generator, request, public):
    """Every operation documents its JSON errors (400, 404, 429; writes also 401, 403, 409)."""
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            errors = dict(ERRORS) if method == "get" else {**ERRORS, **WRITE_ERRORS}
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": ERROR_BODY})
    return result
