"""Where uploaded media go: an S3-compatible bucket when one is configured
(django-storages' S3 backend, boto3), the local MEDIA_ROOT otherwise.

Settings read the environment once, so each case starts Django in a process
of its own with the production settings. No request leaves the machine: the
S3 client answers itself through botocore's ``before-send`` event, and the
test sees each request exactly as it would have been sent.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x7Qm2vR9pL4sT8wZ1yB6nC3dF5gH0jK-aE_uI.oP!rS@tV#xY$zA%bD^eG&hJ*kL",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-storage-check.sqlite3",
    # boto3 must never look for credentials or a region anywhere else.
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "centrum-media",
    "AWS_ACCESS_KEY_ID": "AKIAPORTALTEST",
    "AWS_SECRET_ACCESS_KEY": "portal-test-secret",
    "AWS_S3_REGION_NAME": "eu-central-1",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_ADDRESSING_STYLE": "path",
    "AWS_S3_PUBLIC_URL": "https://media.example.org/portal/",
}

# Saves one upload through the configured default storage and reports what
# happened: the storage, the requests the S3 client made, the public address.
SAVE_ONE_UPLOAD = """
import json, django
django.setup()
from botocore.awsrequest import AWSResponse
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage as storage

class Body:
    def __init__(self, data=b""):
        self.data = data
    def stream(self, **kwargs):
        yield self.data

requests = []

def answer(request, **kwargs):
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    authorization = request.headers.get("Authorization") or ""
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    requests.append({"method": request.method, "url": request.url, "authorization": authorization,
                     "body": (body or b"").decode("latin-1")})
    if request.method == "HEAD":  # nothing of that name in the bucket yet
        return AWSResponse(request.url, 404, {}, Body())
    return AWSResponse(request.url, 200, {"ETag": '"1"'}, Body())

backend = storage.__class__  # the configured class behind the lazy default_storage
report = {"backend": f"{backend.__module__}.{backend.__qualname__}"}
if hasattr(storage, "connection"):
    client = storage.connection.meta.client
    client.meta.events.register("before-send.s3", answer)
    report.update(bucket=storage.bucket_name, endpoint=client.meta.endpoint_url, region=client.meta.region_name)
else:
    report.update(location=str(storage.location))
name = storage.save("original_images/plakát dílny.jpg", ContentFile(b"JPEG-DATA", name="x.jpg"))
report.update(name=name, url=storage.url(name), requests=requests)
if not hasattr(storage, "connection"):
    report["on_disk"] = open(storage.path(name), "rb").read().decode()
    storage.delete(name)
print(json.dumps(report))
"""


def _save_one_upload(**env_vars: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "REDIS_URL"}
    env.update(PRODUCTION_ENV)
    env.update(env_vars)
    result = subprocess.run(
        [sys.executable, "-c", SAVE_ONE_UPLOAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_bucket_uploads_go_to_it_and_links_point_to_its_public_address():
    report = _save_one_upload(**S3_ENV)

    assert report["backend"] == "storages.backends.s3.S3Storage"
    assert report["bucket"] == "centrum-media"
    assert report["endpoint"] == "https://s3.example.net"
    assert report["region"] == "eu-central-1"
    # First a look whether the name is taken (it is not), then the upload
    # itself: to the configured endpoint and bucket, signed with the keys.
    (head, put) = report["requests"]
    assert head["method"] == "HEAD"
    assert put["method"] == "PUT"
    key = "original_images/plak%C3%A1t%20d%C3%ADlny.jpg"
    assert put["url"] == f"https://s3.example.net/centrum-media/{key}"
    assert "Credential=AKIAPORTALTEST/" in put["authorization"]
    assert "/eu-central-1/s3/" in put["authorization"]
    assert "JPEG-DATA" in put["body"]
    assert report["name"] == "original_images/plakát dílny.jpg"
    # Visitors fetch it from the public address, unsigned, so pages and the
    # CDN can keep the link.
    assert report["url"] == f"https://media.example.org/portal/{key}"


def test_without_a_public_address_links_point_unsigned_at_the_bucket():
    env = {**S3_ENV, "AWS_S3_PUBLIC_URL": ""}
    report = _save_one_upload(**env)

    assert report["backend"] == "storages.backends.s3.S3Storage"
    assert report["url"] == "https://s3.example.net/centrum-media/original_images/plak%C3%A1t%20d%C3%ADlny.jpg"


def test_without_a_bucket_uploads_stay_in_media_root(tmp_path):
    report = _save_one_upload(MEDIA_ROOT=str(tmp_path))

    assert report["backend"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert report["location"] == str(tmp_path)
    assert report["on_disk"] == "JPEG-DATA"
    assert report["url"] == "/media/original_images/plak%C3%A1t%20d%C3%ADlny.jpg"
    assert report["requests"] == []
