"""Request-level guards: clear answers to bodies that are too big and to a database that is away.

**Oversized bodies** get a 413 before any view reads them.

Django raises ``RequestDataTooBig`` only when a view touches the body, answers
400, and leaves the rest of the body unread, so the server closes the socket
while the client is still sending and the client never sees the answer. Here
the limit is checked from Content-Length first: the body is read and thrown
away (at most ``REQUEST_BODY_DRAIN_LIMIT`` bytes, so this costs no memory) and
the client gets a 413 that says what the limit is.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

CHUNK = 64 * 1024


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length 无效 (invalid Content-Length)"}, status=400)
        is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = settings.MAX_UPLOAD_SIZE if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            response = JsonResponse(
                {"detail": f"请求体过大：上限 {limit // (1024 * 1024)} MB (request body too large; limit {limit} bytes)"},
                status=413,
            )
            if length <= settings.REQUEST_BODY_DRAIN_LIMIT:
                _drain(request, length)
            else:
                response["Connection"] = "close"
            return response
        return self.get_response(request)


def _drain(request, length: int) -> None:
    stream = request.META.get("wsgi.input")
    remaining = length
    while stream is not None and remaining > 0:
        chunk = stream.read(min(CHUNK, remaining))
        if not chunk:
            break
        remaining -= len(chunk)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (restarting, failing over) is a 503 with Retry-After, not a 500.

    Clients and load balancers then know to retry; the request's transaction was rolled back, so
    nothing was half-written. The next request reconnects (``CONN_HEALTH_CHECKS``).
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            response = JsonResponse(
                {"detail": "数据库暂时不可用，请稍后重试 (database temporarily unavailable; retry shortly)"}, status=503
            )
            response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
            return response
        return None
