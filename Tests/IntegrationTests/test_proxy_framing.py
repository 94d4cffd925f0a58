"""Issue 3 §2: strict HTTP/1.1 framing and limits, through the real gateway, with raw sockets (curl normalises).

Every ambiguous or malformed request is answered 400 (or 413/414/431/501) with `Connection: close`, the gateway
closes the connection, and nothing of the request head reaches the backend.
"""
import time

import pytest

from proxy_support import RawClient, bad_request, exchange, field_values, write_config


def start(gateway_factory, backend, config=None):
    args = ["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1"]
    if config:
        args += ["--config", config]
    return gateway_factory(args)


def assert_rejected(gw, backend, raw, status=400, backend_may_see_head=False):
    answer = bad_request(gw.port, raw)
    head = answer.split(b"\r\n\r\n", 1)[0]
    assert answer.startswith(b"HTTP/1.1 %d " % status), answer
    assert b"\r\nConnection: close" in head, answer
    if not backend_may_see_head:
        time.sleep(0.05)
        assert backend.requests() == [], "a rejected request reached the backend"
    return answer


def post(fields, body=b"", version=b"HTTP/1.1", target=b"/echo"):
    return b"POST " + target + b" " + version + b"\r\n" + b"".join(f + b"\r\n" for f in fields) + b"\r\n" + body


# ---- message framing (RFC 9112 §6.3) ------------------------------------------------------------------------------

def test_h1_h1_contentLengthWithTransferEncoding_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length: 5", b"Transfer-Encoding: chunked"], b"0\r\n\r\n"))


def test_h1_h1_transferEncodingWithContentLengthAfter_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: chunked", b"Content-Length: 3"], b"0\r\n\r\n"))


def test_h1_h1_differingDuplicateContentLength_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length: 5", b"Content-Length: 6"], b"hello!"))


def test_h1_h1_differingContentLengthList_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length: 5, 6"], b"hello!"))


def test_h1_h1_identicalDuplicateContentLength_isAccepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, post([b"Host: a", b"Content-Length: 5", b"Content-Length: 5"], b"hello"))
    client.close()
    assert resp.status == 200 and resp.body == b"hello"
    [req] = backend.requests()
    assert field_values(req, "content-length") == ["5"]


def test_h1_h1_invalidContentLength_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length: +5"], b"hello"))


def test_h1_h1_transferEncodingNotEndingInChunked_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: chunked, gzip"], b"0\r\n\r\n"))


def test_h1_h1_transferEncodingGzipOnly_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: gzip"], b"abc"))


def test_h1_h1_chunkedTwiceInOneField_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: chunked, chunked"], b"0\r\n\r\n"))


def test_h1_h1_chunkedTwiceAcrossFields_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked"],
                                      b"0\r\n\r\n"))


def test_h1_h1_transferEncodingOnHTTP10_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: chunked"], b"0\r\n\r\n", version=b"HTTP/1.0"))


def test_h1_h1_unknownTransferCoding_501(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Transfer-Encoding: foo, chunked"], b"0\r\n\r\n"), status=501)


# ---- chunked bodies (RFC 9112 §7.1) -------------------------------------------------------------------------------

CHUNKED_HEAD = [b"Host: a", b"Transfer-Encoding: chunked"]


def test_h1_h1_badChunkSize_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post(CHUNKED_HEAD, b"zz\r\nhello\r\n0\r\n\r\n"), backend_may_see_head=True)


def test_h1_h1_emptyChunkSize_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post(CHUNKED_HEAD, b"\r\nhello\r\n0\r\n\r\n"), backend_may_see_head=True)


def test_h1_h1_overflowingChunkSize_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post(CHUNKED_HEAD, b"10000000000000000000001\r\nhello\r\n0\r\n\r\n"),
                    backend_may_see_head=True)


def test_h1_h1_badChunkExtension_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post(CHUNKED_HEAD, b"5;\r\nhello\r\n0\r\n\r\n"), backend_may_see_head=True)


def test_h1_h1_chunkExtensionWithBareCRInQuotedValue_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post(CHUNKED_HEAD, b'5;a="x\rb"\r\nhello\r\n0\r\n\r\n'), backend_may_see_head=True)


def test_h1_h1_validChunkExtension_isAcceptedAndBodyForwarded(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, post(CHUNKED_HEAD, b'5;name="v\\"x";flag\r\nhello\r\n0\r\n\r\n'))
    client.close()
    assert resp.status == 200 and resp.body == b"hello"


def test_h1_h1_chunkDataWithoutCRLF_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post(CHUNKED_HEAD, b"5\r\nhelloXX0\r\n\r\n"), backend_may_see_head=True)


# ---- field syntax (RFC 9112 §5, RFC 9110 §5.5) --------------------------------------------------------------------

def get(fields, target=b"/x"):
    return b"GET " + target + b" HTTP/1.1\r\n" + b"".join(f + b"\r\n" for f in fields) + b"\r\n"


def test_h1_h1_obsFold_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Folded: first", b" continued"]))


def test_h1_h1_obsFoldWithTab_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Folded: first", b"\tcontinued"]))


def test_h1_h1_spaceBeforeColon_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Name : value"]))


def test_h1_h1_spaceBeforeColonOnContentLength_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length : 5"], b"hello"))


def test_h1_h1_nonTokenFieldName_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X(Name): value"]))


def test_h1_h1_fieldNameWithSpace_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X Name: value"]))


def test_h1_h1_emptyFieldName_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b": value"]))


def test_h1_h1_crInFieldValue_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Value: a\rb"]))


def test_h1_h1_bareLFInFieldValue_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Value: a\nX-Injected: b"]))


def test_h1_h1_nulInFieldValue_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Value: a\x00b"]))


@pytest.mark.parametrize("byte", [0x01, 0x08, 0x0B, 0x1F, 0x7F])
def test_h1_h1_controlCharacterInFieldValue_400AndClose(gateway_factory, backend, byte):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a", b"X-Value: a" + bytes([byte]) + b"b"]))


def test_h1_h1_htabInFieldValue_isAccepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, get([b"Host: a", b"X-Value: a\tb"]))
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert b"\r\nX-Value: a\tb\r\n" in req["head"].encode("latin-1")


def test_h1_h1_obsTextInFieldValue_passesThroughByteExactly(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    value = b"caf\xe9 \x80\x9f\xa0\xff end"
    resp, client = exchange(gw.port, get([b"Host: a", b"X-Obs-Text: " + value]))
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert b"\r\nX-Obs-Text: " + value + b"\r\n" in req["head"].encode("latin-1")


def test_h1_h1_bareLFLineEnding_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, b"GET /x HTTP/1.1\nHost: a\n\n")


def test_h1_h1_invalidRequestLineDoubleSpace_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, b"GET  /x HTTP/1.1\r\nHost: a\r\n\r\n")


# ---- Host (RFC 9112 §3.2) -----------------------------------------------------------------------------------------

def test_h1_h1_missingHostOnHTTP11_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"X-A: b"]))


def test_h1_h1_duplicateHost_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a.example", b"Host: b.example"]))


@pytest.mark.parametrize("host", [b"a b.example", b"user@a.example", b"a.example/path", b"[::1", b"a.example:80x"])
def test_h1_h1_invalidHost_400AndClose(gateway_factory, backend, host):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: " + host]))


def test_h1_h1_missingHostOnHTTP10_isAccepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /x HTTP/1.0\r\n\r\n")
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert len(field_values(req, "host")) == 1


# ---- absolute-form (RFC 9112 §3.2.2) ------------------------------------------------------------------------------

def test_h1_h1_absoluteForm_authorityReplacesHost(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET http://app.example:8443/abs/path?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n")
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert req["target"] == "/abs/path?q=1"
    assert field_values(req, "host") == ["app.example:8443"]


def test_h1_h1_absoluteFormWithoutPath_targetsRoot(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET http://app.example HTTP/1.1\r\nHost: app.example\r\n\r\n")
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert req["target"] == "/" and field_values(req, "host") == ["app.example"]


def test_h1_h1_absoluteForm_neverChoosesAnotherUpstream(gateway_factory, backend_factory):
    configured = backend_factory("configured")
    other = backend_factory("other")
    gw = start(gateway_factory, configured)
    raw = b"GET http://127.0.0.1:%d/steal HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (other.port, other.port)
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body.startswith(b"configured ")
    assert len(configured.requests()) == 1
    assert other.requests() == []


def test_h1_h1_absoluteFormWithUserinfo_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, b"GET http://user@app.example/ HTTP/1.1\r\nHost: app.example\r\n\r\n")


# ---- limits (defaults: request line 8 KiB → 414, header block 64 KiB / 100 fields → 431, body → 413) --------------

def test_h1_h1_requestLineOver8KiB_414AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, get([b"Host: a"], target=b"/" + b"a" * 9000), status=414)


def test_h1_h1_requestLineJustUnder8KiB_isAccepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    target = b"/" + b"a" * 8000
    resp, client = exchange(gw.port, get([b"Host: a"], target=target))
    client.close()
    assert resp.status == 200
    assert backend.requests()[0]["target"] == target.decode()


def test_h1_h1_headerBlockOver64KiB_431AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    fields = [b"Host: a"] + [b"X-Big-%d: %s" % (i, b"v" * 1400) for i in range(50)]
    assert_rejected(gw, backend, get(fields), status=431)


def test_h1_h1_moreThan100Fields_431AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    fields = [b"Host: a"] + [b"X-F%d: v" % i for i in range(101)]
    assert_rejected(gw, backend, get(fields), status=431)


def test_h1_h1_exactly100Fields_isAccepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    fields = [b"Host: a"] + [b"X-F%d: v" % i for i in range(99)]
    resp, client = exchange(gw.port, get(fields))
    client.close()
    assert resp.status == 200


def test_h1_h1_contentLengthOverMaxBodySize_413AndClose(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  max_body_size: 1KiB\n")
    gw = start(gateway_factory, backend, config)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length: 2000"], b"x" * 2000), status=413)


def test_h1_h1_chunkedBodyOverMaxBodySize_413AndClose(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  max_body_size: 1KiB\n")
    gw = start(gateway_factory, backend, config)
    body = b"400\r\n" + b"x" * 1024 + b"\r\n10\r\n" + b"y" * 16 + b"\r\n0\r\n\r\n"
    assert_rejected(gw, backend, post(CHUNKED_HEAD, body), status=413, backend_may_see_head=True)


def test_h1_h1_bodyAtMaxBodySize_isAccepted(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  max_body_size: 1KiB\n")
    gw = start(gateway_factory, backend, config)
    resp, client = exchange(gw.port, post([b"Host: a", b"Content-Length: 1024"], b"z" * 1024))
    client.close()
    assert resp.status == 200 and resp.body == b"z" * 1024


def test_h1_h1_badRequest_closesEvenWithPipelinedFollower(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(get([b"Host: a", b"X-Bad : v"]) + get([b"Host: a"], target=b"/second"))
    answer = client.read_until_close()
    client.close()
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.count(b"HTTP/1.1") == 1
    assert backend.requests() == []


@pytest.mark.parametrize("value", [b"-1", b"", b"5 5", b"0x10", b"99999999999999999999999", b"5;", b"1e3"])
def test_h1_h1_malformedContentLengthValue_400AndClose(gateway_factory, backend, value):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"Content-Length: " + value], b"hello"))


@pytest.mark.parametrize("line", [b"GET\t/x HTTP/1.1", b"GET /a b HTTP/1.1", b"GET /x HTTP/1.1 ", b" GET /x HTTP/1.1",
                                  b"GET /x#frag HTTP/1.1", b"G(T /x HTTP/1.1", b"GET /x\x7f HTTP/1.1", b"GET /x"])
def test_h1_h1_malformedRequestLine_400AndClose(gateway_factory, backend, line):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, line + b"\r\nHost: a\r\n\r\n")


def test_h1_h1_transferEncodingWithOWS_accepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, post([b"Host: a", b"Transfer-Encoding:\t chunked \t"], b"2\r\nok\r\n0\r\n\r\n"))
    client.close()
    assert resp.status == 200 and resp.body == b"ok"


def test_h1_h1_nonTokenFieldNameWithVerticalTab_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    assert_rejected(gw, backend, post([b"Host: a", b"\x0bTransfer-Encoding: chunked", b"Content-Length: 5"], b"hello"))
