"""Media on S3-compatible object storage, through django-storages' libcloud
backend (boto3 cannot be used: its botocore pins python-dateutil below 3).

Two changes to the stock backend: the driver can point at any S3-compatible
endpoint (MinIO, Ceph, Wasabi, a cloud provider's S3 API), and ``url()``
builds the public address from ``AWS_S3_PUBLIC_URL`` without a round trip to
the bucket, so rendering a page with many images makes no storage requests.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.deconstruct import deconstructible
from libcloud.storage.providers import get_driver
from libcloud.storage.types import Provider
from storages.backends.apache_libcloud import LibCloudStorage
from storages.utils import clean_name


@deconstructible
class S3CompatibleStorage(LibCloudStorage):
    def __init__(self, provider_name: str | None = None, option=None):
        conf = settings.LIBCLOUD_PROVIDERS[provider_name or "default"]
        self.provider = conf
        self.bucket = conf["bucket"]
        endpoint = urlsplit(conf.get("endpoint") or "")
        kwargs = {"region": conf.get("region") or "us-east-1"}
        if endpoint.hostname:
            kwargs.update(host=endpoint.hostname, port=endpoint.port, secure=endpoint.scheme != "http")
        self.driver = get_driver(Provider.S3)(conf["user"], conf["key"], **kwargs)
        self.public_url = (conf.get("public_url") or "").rstrip("/")

    def url(self, name: str) -> str:
        path = quote(clean_name(name))
        if self.public_url:
            return f"{self.public_url}/{path}"
        return super().url(name)
