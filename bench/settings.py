"""Settings for benchmark servers: production settings plus the baseline views, no throttling.

The rate limits would turn a load test into a test of the limiter; everything
else (DEBUG off, middleware, persistent connections, whitenoise) is production's.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
