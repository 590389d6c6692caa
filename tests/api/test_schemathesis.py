"""Property-based run of schemathesis against our own OpenAPI schema, over real HTTP.

Every GET operation gets a bounded number of generated requests (filters with
odd values, huge numbers, unicode …): none may answer 5xx and every response
must match the schema. Writes are covered by the permission tests.

Uses schemathesis' Python API (operations → hypothesis strategies) rather than
its pytest plugin, whose lazy fixtures do not run under pytest 9.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

MAX_EXAMPLES = 20

# serialized_rollback: the flush after a live-server test must not lose the seeded themes and publications.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_no_server_errors_and_responses_match_the_schema(live_server, world, monkeypatch):
    unlimited = {"anon": "1000000/min", "user": "1000000/min"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", unlimited)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", unlimited)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json").include(method="GET")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    for operation in operations:

        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(base_url=live_server.url, checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
