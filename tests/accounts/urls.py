"""A URLconf for security tests: the project's URLs plus views that refuse, fail, download and
use a script nonce (none of these exist in the project)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urls


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("secret detail 012345678901")


def download(request):
    import io

    return FileResponse(io.BytesIO(b"a,b\n"), as_attachment=True, filename="thanh-vien.csv")


def with_script(request):
    template = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}" src="/static/x.js"></script>'
    )
    return HttpResponse(template.render({}, request))


urlpatterns = [
    *project_urls,
    path("test/refuse/", refuse),
    path("test/fail/", fail),
    path("test/download/", download),
    path("test/script/", with_script),
]
