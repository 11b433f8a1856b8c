"""What a gunicorn worker is forked with: the master loads portal.wsgi (preload_app)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import portal.wsgi
from django.db import connections
print(json.dumps({
    "urlconf": "portal.urls" in sys.modules,
    "admin": "wagtail.admin.urls" in sys.modules,
    "connections": [alias for alias in connections if connections[alias].connection is not None],
}))
"""


def test_the_url_configuration_is_loaded_before_the_workers_are_forked_and_no_connection_is_opened():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    # A worker's first request is not spent importing them.
    assert loaded["urlconf"] and loaded["admin"]
    # A connection opened in the master would be shared by every forked worker.
    assert loaded["connections"] == []


FORK_PROBE = """
import gc, json, runpy
import portal.wsgi
config = runpy.run_path("gunicorn.conf.py")
before = gc.get_freeze_count()
config["pre_fork"](None, None)
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}))
"""


def test_a_worker_is_forked_with_what_the_master_loaded_left_out_of_its_garbage_collections():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", FORK_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["before"] == 0
    # The application's objects are frozen: a collection in the worker walks only what its requests made.
    assert counts["frozen"] > 100_000
    assert counts["tracked"] < 1_000
