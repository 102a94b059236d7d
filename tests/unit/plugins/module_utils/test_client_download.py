# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient.download: a file the PBX links to, streamed to disk, on the PBX's own host only."""

from __future__ import annotations

import gzip
import re
import time
from types import SimpleNamespace

import pytest
from werkzeug import Response

from ansible_collections.threecx.xapi.plugins.module_utils import _auth
from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiError
from xapi_testlib import API, answers, requests_to

LINK = API + "/Backups/Pbx.DownloadBackup(file='nightly.zip')"
CONTENT = b"PK\x03\x04" + b"x" * 300000


def test_a_relative_link_is_fetched_with_the_token_into_the_file(httpserver, token_server, make_client, tmp_path):
    httpserver.expect_request(LINK).respond_with_data(CONTENT, content_type="application/zip")
    target = tmp_path / "nightly.zip"
    written = make_client().download(LINK, str(target), chunk_size=4096)
    assert written == len(CONTENT) and target.read_bytes() == CONTENT
    (request,) = requests_to(httpserver, LINK)
    assert request.headers["Authorization"] == "Bearer token-1"
    assert list(tmp_path.iterdir()) == [target]


def test_a_link_to_another_host_is_refused_and_nothing_is_sent(httpserver, make_client, tmp_path):
    client = make_client()
    for link in ("https://elsewhere.example.com/backup.zip", "//elsewhere.example.com/b.zip",
                 client.base_url.replace("127.0.0.1", "localhost") + "/b.zip"):
        with pytest.raises(XapiError, match="another server"):
            client.download(link, str(tmp_path / "b.zip"))
    assert httpserver.log == [] and list(tmp_path.iterdir()) == []


def test_a_short_answer_leaves_no_file(httpserver, token_server, make_client, tmp_path):
    def short(_request):
        return Response(iter([b"PK\x03\x04"]), headers={"Content-Length": "100"}, content_type="application/zip")

    httpserver.expect_request(LINK).respond_with_handler(short)
    with pytest.raises(XapiError, match="broke off") as caught:
        make_client().download(LINK, str(tmp_path / "nightly.zip"))
    assert "nightly.zip'" not in str(caught.value) and list(tmp_path.iterdir()) == []


def test_an_error_answer_fails_without_naming_the_link(httpserver, token_server, make_client, tmp_path):
    httpserver.expect_request(LINK).respond_with_json({"error": {"message": "WARNINGS.XAPI.NOT_FOUND"}}, status=404)
    with pytest.raises(XapiError) as caught:
        make_client().download(LINK, str(tmp_path / "nightly.zip"))
    assert caught.value.status == 404 and "DownloadBackup" not in str(caught.value)
    assert "<download link>" in str(caught.value) and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("token_cache", [False, True])
def test_a_download_the_pbx_refuses_with_401_is_retried_once_with_a_new_token(httpserver, token_server, make_client,
                                                                              tmp_path, monkeypatch, token_cache):
    """At once: the pause between renewals is for the second one. With the cache, the rejected token stays out."""
    pauses = []
    monkeypatch.setattr(_auth, "time", SimpleNamespace(time=time.time, sleep=pauses.append))

    def by_token(request):
        if request.headers.get("Authorization") != "Bearer token-2":
            return Response(b"", status=401)
        return Response(CONTENT, content_type="application/zip")

    httpserver.expect_request(LINK, method="GET").respond_with_handler(by_token)
    target = tmp_path / "nightly.zip"
    client = make_client(token_cache=token_cache, token_cache_dir=str(tmp_path / "cache"))
    assert client.download(LINK, str(target)) == len(CONTENT) and target.read_bytes() == CONTENT
    assert pauses == []
    assert [request.headers["Authorization"] for request in requests_to(httpserver, LINK)] == [
        "Bearer token-1", "Bearer token-2"]
    assert token_server.issued == ["token-1", "token-2"]


def test_a_download_refused_twice_fails_with_the_status_and_leaves_no_file(httpserver, token_server, make_client,
                                                                           tmp_path):
    httpserver.expect_request(LINK, method="GET").respond_with_data(b"", status=401)
    with pytest.raises(XapiError) as caught:
        make_client().download(LINK, str(tmp_path / "nightly.zip"))
    assert caught.value.status == 401 and list(tmp_path.iterdir()) == []
    assert len(requests_to(httpserver, LINK)) == 2, "one new token, one more try"


def test_a_download_that_breaks_off_names_the_request_but_not_the_link(
        httpserver, token_server, make_client, tmp_path):
    def short(_request):
        return Response(iter([b"PK\x03\x04"]), headers={"Content-Length": "100"}, content_type="application/zip")

    httpserver.expect_request(LINK).respond_with_handler(short)
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.download(LINK, str(tmp_path / "nightly.zip"))
    # How many of the 4 bytes were written before urllib3 noticed depends on its version.
    assert re.fullmatch(re.escape("GET %s/<download link>: the download broke off after " % client.base_url)
                        + r"[04] bytes: .*IncompleteRead\(4 bytes read, 96 more expected\).*", str(caught.value)), \
        str(caught.value)
    assert (caught.value.method, caught.value.url) == ("GET", client.base_url + "/<download link>")


def test_a_refused_link_reads_whole(make_client, tmp_path):
    with pytest.raises(XapiError) as caught:
        make_client().download("https://elsewhere.example.com/backup.zip", str(tmp_path / "b.zip"))
    assert str(caught.value) == "the PBX links the file to another server; not sending the token there"


@pytest.mark.parametrize("status", [400, 404])
def test_an_error_answer_reads_whole_with_the_link_hidden(httpserver, token_server, make_client, tmp_path, status):
    httpserver.expect_request(LINK).respond_with_json({"error": {"message": "WARNINGS.XAPI.NOT_FOUND"}}, status=status)
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.download(LINK, str(tmp_path / "nightly.zip"))
    shown = client.base_url + "/<download link>"
    assert str(caught.value) == "GET %s: HTTP %d: the PBX answered with an error: WARNINGS.XAPI.NOT_FOUND" % (
        shown, status)
    assert caught.value.to_result() == dict(status=status, method="GET", url=shown,
                                            pbx_message="WARNINGS.XAPI.NOT_FOUND", details=[])
    assert list(tmp_path.iterdir()) == []


def test_a_compressed_download_is_written_as_the_file_it_holds(httpserver, token_server, make_client, tmp_path):
    """Content-Length counts the compressed bytes: a whole answer is not taken for a broken one."""
    compressed = gzip.compress(CONTENT)
    httpserver.expect_request(LINK).respond_with_data(compressed, content_type="application/zip",
                                                      headers={"Content-Encoding": "gzip"})
    target = tmp_path / "nightly.zip"
    assert make_client().download(LINK, str(target)) == len(CONTENT)
    assert target.read_bytes() == CONTENT and list(tmp_path.iterdir()) == [target]


def test_a_renewed_download_is_retried_after_a_503_like_any_read(httpserver, token_server, make_client, tmp_path):
    httpserver.expect_request(LINK, method="GET").respond_with_handler(answers(
        Response(b"", status=401), Response(b"", status=503), Response(CONTENT, content_type="application/zip")))
    target = tmp_path / "nightly.zip"
    assert make_client(retries=1).download(LINK, str(target)) == len(CONTENT) and target.read_bytes() == CONTENT
    assert len(requests_to(httpserver, LINK)) == 3


REDIRECT = dict(status=302, headers={"Location": "https://files.example.com/nightly.zip?sig=secret-signature"})


@pytest.mark.parametrize("statuses", [[REDIRECT], [dict(status=401), REDIRECT]], ids=["at-once", "after-renewal"])
def test_a_redirected_download_is_not_followed_and_the_new_address_not_named(
        httpserver, token_server, make_client, tmp_path, statuses):
    httpserver.expect_request(LINK, method="GET").respond_with_handler(
        answers(*(Response(b"", **status) for status in statuses)))
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.download(LINK, str(tmp_path / "nightly.zip"))
    assert str(caught.value) == (
        "GET %s/<download link>: HTTP 302: the PBX redirected the request to another address; not following a "
        "redirect for a write or a download. Point base_url at the final address." % client.base_url)
    assert len(requests_to(httpserver, LINK)) == len(statuses) and list(tmp_path.iterdir()) == []


def test_a_destination_that_cannot_be_written_says_so(httpserver, token_server, make_client, tmp_path):
    httpserver.expect_request(LINK).respond_with_data(CONTENT, content_type="application/zip")
    target = tmp_path / "no-such-dir" / "nightly.zip"
    with pytest.raises(XapiError) as caught:
        make_client().download(LINK, str(target))
    assert str(caught.value) == "cannot write %s: [Errno 2] No such file or directory: '%s.part'" % (target, target)
    assert list(tmp_path.iterdir()) == []
