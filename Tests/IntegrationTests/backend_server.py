#!/usr/bin/env python3
"""A real HTTP/1.1 backend for the proxy integration tests: raw sockets, one thread per connection, no framework.

It records exactly what it receives (the raw head bytes, body bytes and trailer bytes of every request, and when
each connection opened and closed) and behaves by path. The recordings are read through a separate control port
that the gateway never proxies:

    GET /requests  -> JSON list of requests (raw bytes as latin-1 strings)
    GET /events    -> JSON list of connection events (open, peer_closed, closed, pong, ...)

Start: `backend_server.py [--name NAME]`; the first stdout line is `{"port": P, "control": C}`.

Paths (the query string is ignored unless stated):
    /echo                 200 with the request body as the response body
    /status/NNN?cl=N&close=1  status NNN (no body for 1xx, 204, 304); cl sets Content-Length, close closes after
    /chunked              chunked response with a Trailer and trailer fields
    /close-delimited      response without Content-Length or chunked, ended by closing the connection
    /stream/N             N bytes with Content-Length, written in 256 KiB blocks
    /consume?delay=MS     reads the body without keeping it (after MS milliseconds); 200 with the byte count
    /slow/MS              answers after MS milliseconds
    /hang                 never answers; records `peer_closed` when the other side goes away
    /reset-before         resets the connection (RST) before any response byte
    /reset-mid            sends the head and part of the body, then resets
    /stall-mid            sends the head and part of the body, then stalls forever
    /http10-response      an HTTP/1.0 response (not keep-alive), then closes
    /unsolicited-101      101 Switching Protocols to a request that did not ask for it
    /close-after          answers normally (keep-alive), then drops the next request on this connection unanswered
    /ws?ping=SECONDS      RFC 6455 handshake, then echoes frames; sends pings every SECONDS when given
    /upgrade-echo         101 to whatever Upgrade was asked, then echoes raw bytes
    /cl-and-te            a response with both Content-Length and chunked (chunked wins, RFC 9112 §6.3)
    /duplicate-cl         a response with two identical Content-Length fields
    /huge-header          a response with a 200 KB field
    /connection-names-length  a response whose Connection field names Content-Length
    /interim              103 Early Hints before the final 200
    /hop-response         a response carrying hop-by-hop fields the proxy must remove
    anything else         200 with body "<name> <method> <target>"
Every request with `Expect: 100-continue` gets a `100 Continue` before its body is read. HEAD gets no body.
"""
import argparse
import base64
import hashlib
import json
import socket
import struct
import sys
import threading
import time

MAX_KEPT_BODY = 1 << 20
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Recorder:
    """Everything the backend received, guarded by one lock (read by the control thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.events = []
        self.next_conn = 0

    def new_connection(self, peer):
        with self.lock:
            self.next_conn += 1
            conn_id = self.next_conn
            self.events.append({"conn": conn_id, "event": "open", "peer": list(peer), "t": time.time()})
            return conn_id

    def event(self, conn_id, name, **extra):
        with self.lock:
            self.events.append(dict({"conn": conn_id, "event": name, "t": time.time()}, **extra))

    def add_request(self, record):
        with self.lock:
            self.requests.append(record)

    def snapshot(self):
        with self.lock:
            return json.dumps({"requests": self.requests, "events": self.events})


class PeerClosed(Exception):
    pass


class BackendReset(Exception):
    """The backend reset the connection on purpose (/reset-before, /reset-mid)."""


class Connection:
    """One accepted connection: reads requests with a small buffered reader and answers each by path."""

    def __init__(self, sock, conn_id, recorder, name):
        self.sock = sock
        self.conn_id = conn_id
        self.recorder = recorder
        self.name = name
        self.buf = bytearray()
        self.seq = 0
        self.drop_next = False

    # ---- reading -------------------------------------------------------------------------------------------

    def fill(self):
        data = self.sock.recv(256 * 1024)
        if not data:
            raise PeerClosed()
        self.buf += data

    def read_until(self, marker, limit=1 << 20):
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                out = bytes(self.buf[: i + len(marker)])
                del self.buf[: i + len(marker)]
                return out
            if len(self.buf) > limit:
                raise ValueError("line too long")
            self.fill()

    def read_exact(self, n, sink):
        """Reads n bytes, passing each piece to sink (so 100 MB are never held)."""
        while n > 0:
            if not self.buf:
                self.fill()
            take = min(n, len(self.buf))
            sink(bytes(self.buf[:take]))
            del self.buf[:take]
            n -= take

    def read_body(self, headers, record):
        kept = bytearray()
        total = [0]

        def sink(piece):
            total[0] += len(piece)
            if len(kept) < MAX_KEPT_BODY:
                kept.extend(piece[: MAX_KEPT_BODY - len(kept)])

        te = header(headers, "transfer-encoding")
        cl = header(headers, "content-length")
        if te is not None and "chunked" in te.lower():
            chunk_lines = []
            while True:
                line = self.read_until(b"\r\n")
                chunk_lines.append(line.decode("latin-1"))
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    break
                self.read_exact(size, sink)
                self.read_until(b"\r\n")
            while len(self.buf) < 2:
                self.fill()
            trailers = self.read_until(b"\r\n") if self.buf[:2] == b"\r\n" else self.read_until(b"\r\n\r\n")
            record["chunk_lines"] = chunk_lines
            record["trailers"] = trailers.decode("latin-1")
        elif cl is not None:
            self.read_exact(int(cl), sink)
        record["body"] = kept.decode("latin-1")
        record["body_len"] = total[0]
        record["complete"] = True
        return bytes(kept)

    # ---- writing -------------------------------------------------------------------------------------------

    def send(self, data):
        self.sock.sendall(data)

    def respond(self, method, status, reason, fields, body=b""):
        """Writes a response; no body for HEAD, 1xx, 204 and 304 (Content-Length still describes GET)."""
        head = f"HTTP/1.1 {status} {reason}\r\n"
        no_body = method == "HEAD" or status < 200 or status in (204, 304)
        has_length = any(k.lower() in ("content-length", "transfer-encoding") for k, _ in fields)
        if not has_length and status >= 200 and status not in (204, 304):
            fields = list(fields) + [("Content-Length", str(len(body)))]
        for k, v in fields:
            head += f"{k}: {v}\r\n"
        head += "\r\n"
        self.send(head.encode("latin-1") + (b"" if no_body else body))

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    # ---- serving -------------------------------------------------------------------------------------------

    def serve(self):
        try:
            while True:
                if not self.serve_one():
                    break
        except PeerClosed:
            self.recorder.event(self.conn_id, "peer_closed")
        except BackendReset:
            self.recorder.event(self.conn_id, "backend_reset")
        except (ConnectionResetError, BrokenPipeError) as e:
            self.recorder.event(self.conn_id, "peer_reset", error=str(e))
        except OSError as e:
            self.recorder.event(self.conn_id, "error", error=str(e))
        finally:
            try:
                self.sock.close()
            except OSError:
                pass
            self.recorder.event(self.conn_id, "closed")

    def serve_one(self):
        """Serves one request; returns False when the connection must end."""
        raw_head = self.read_until(b"\r\n\r\n", limit=1 << 22)
        self.seq += 1
        lines = raw_head[:-4].split(b"\r\n")
        request_line = lines[0].decode("latin-1")
        parts = request_line.split(" ")
        method, target, version = (parts + ["", "", ""])[:3]
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers.append([name.decode("latin-1"), value.strip(b" \t").decode("latin-1")])
        record = {
            "conn": self.conn_id, "seq": self.seq, "method": method, "target": target, "version": version,
            "head": raw_head.decode("latin-1"), "headers": headers, "body": "", "body_len": 0, "complete": False,
            "t": time.time(),
        }
        self.recorder.add_request(record)
        if self.drop_next:
            record["dropped"] = True
            self.sock.close()
            return False
        path, _, query = target.partition("?")
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        expect = header(headers, "expect")
        if expect is not None and expect.lower() == "100-continue":
            self.send(b"HTTP/1.1 100 Continue\r\n\r\n")

        if path == "/hang":
            record["hung"] = True
            while True:
                self.fill()  # raises PeerClosed when the gateway gives up on the request
        if path == "/reset-before":
            self.reset()
            raise BackendReset()
        if path == "/ws":
            return self.websocket(headers, params, record)
        if path == "/upgrade-echo":
            proto = header(headers, "upgrade") or "none"
            self.send(f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: {proto}\r\nConnection: Upgrade\r\n\r\n".encode())
            record["complete"] = True
            if self.buf:
                self.send(bytes(self.buf))
                self.buf.clear()
            while True:
                data = self.sock.recv(65536)
                if not data:
                    raise PeerClosed()
                self.send(data)

        if "delay" in params:
            time.sleep(int(params["delay"]) / 1000.0)  # stall before reading the body (backpressure tests)
        body = self.read_body(headers, record)
        keep_alive = (header(headers, "connection") or "").lower() != "close"
        conn_fields = [] if keep_alive else [("Connection", "close")]

        if path == "/echo":
            ctype = header(headers, "content-type") or "application/octet-stream"
            self.respond(method, 200, "OK", [("Content-Type", ctype)] + conn_fields, body)
        elif path.startswith("/status/"):
            status = int(path.split("/")[2])
            fields = list(conn_fields)
            if "cl" in params:  # e.g. a 304 that describes the representation's length
                fields.append(("Content-Length", params["cl"]))
            if params.get("close") == "1":
                fields.append(("Connection", "close"))
                keep_alive = False
            self.respond(method, status, "Status", fields, f"status {status}\n".encode())
        elif path == "/chunked":
            head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n"
            self.send((head + "".join(f"{k}: {v}\r\n" for k, v in conn_fields) + "\r\n").encode())
            if method != "HEAD":
                for piece in (b"hello ", b"chunked ", b"world"):
                    self.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.send(b"0\r\nX-Checksum: abc123\r\n\r\n")
        elif path == "/close-delimited":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            self.send(b"first part, ")
            time.sleep(0.05)
            self.send(b"second part, until close")
            self.sock.shutdown(socket.SHUT_WR)
            return False
        elif path.startswith("/stream/"):
            n = int(path.split("/")[2])
            self.send(f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {n}\r\n\r\n".encode())
            block = bytes(range(256)) * 1024
            while n > 0 and method != "HEAD":
                piece = block[: min(n, len(block))]
                self.send(piece)
                n -= len(piece)
        elif path == "/consume":
            self.respond(method, 200, "OK", [("Content-Type", "text/plain")] + conn_fields,
                         f"{record['body_len']}".encode())
        elif path.startswith("/slow/"):
            time.sleep(int(path.split("/")[2]) / 1000.0)
            self.respond(method, 200, "OK", conn_fields, b"slow done\n")
        elif path == "/reset-mid":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
            time.sleep(0.1)
            self.reset()
            raise BackendReset()
        elif path == "/stall-mid":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"s" * 1000)
            while True:
                self.fill()  # never finishes; PeerClosed when the gateway gives up
        elif path == "/http10-response":
            self.send(b"HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nold ok")
            return False
        elif path == "/unsolicited-101":
            self.send(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            return False
        elif path == "/cl-and-te":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"b\r\nhello world\r\n0\r\n\r\n")
            return False
        elif path == "/duplicate-cl":
            self.respond(method, 200, "OK", [("Content-Length", "5"), ("Content-Length", "5")], b"hello")
        elif path == "/connection-names-length":
            self.send(b"HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\nhello")
        elif path == "/huge-header":
            self.respond(method, 200, "OK", [("X-Huge", "h" * 200_000)], b"big")
        elif path == "/close-after":
            self.respond(method, 200, "OK", [], b"first\n")
            self.drop_next = True
        elif path == "/interim":
            self.send(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
            self.respond(method, 200, "OK", conn_fields, b"after interim\n")
        elif path == "/hop-response":
            fields = [("Connection", "X-Secret"), ("X-Secret", "1"), ("Keep-Alive", "timeout=5"),
                      ("Proxy-Connection", "keep-alive"), ("Upgrade", "foo"), ("X-Kept", "yes")]
            self.respond(method, 200, "OK", fields, b"ok")
        else:
            self.respond(method, 200, "OK", [("Content-Type", "text/plain"), ("X-Backend", self.name)] + conn_fields,
                         f"{self.name} {method} {target}\n".encode())
        return keep_alive

    # ---- WebSocket (RFC 6455) --------------------------------------------------------------------------------

    def websocket(self, headers, params, record):
        key = header(headers, "sec-websocket-key")
        if key is None or (header(headers, "upgrade") or "").lower() != "websocket":
            self.respond("GET", 400, "Bad Request", [("Connection", "close")], b"not a websocket handshake\n")
            return False
        accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
        self.send(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        record["complete"] = True
        self.recorder.event(self.conn_id, "ws_open")
        send_lock = threading.Lock()
        stop = threading.Event()
        interval = float(params.get("ping", "0") or 0)

        def pinger():
            while not stop.wait(interval):
                try:
                    with send_lock:
                        self.send(ws_frame(0x9, b"srv", mask=False))
                except OSError:
                    return

        if interval > 0:
            threading.Thread(target=pinger, daemon=True).start()
        try:
            while True:
                opcode, payload = self.read_ws_frame()
                if opcode == 0x8:
                    with send_lock:
                        self.send(ws_frame(0x8, payload[:2], mask=False))
                    self.recorder.event(self.conn_id, "ws_close")
                    return False
                if opcode == 0x9:
                    with send_lock:
                        self.send(ws_frame(0xA, payload, mask=False))
                elif opcode == 0xA:
                    self.recorder.event(self.conn_id, "pong", payload=payload.decode("latin-1"))
                else:
                    self.recorder.event(self.conn_id, "ws_message", size=len(payload))
                    with send_lock:
                        self.send(ws_frame(opcode, payload, mask=False))
        finally:
            stop.set()

    def read_ws_frame(self):
        hdr = bytearray()
        self.read_exact(2, hdr.extend)
        opcode = hdr[0] & 0x0F
        masked = hdr[1] & 0x80
        length = hdr[1] & 0x7F
        if length == 126:
            ext = bytearray()
            self.read_exact(2, ext.extend)
            length = struct.unpack(">H", ext)[0]
        elif length == 127:
            ext = bytearray()
            self.read_exact(8, ext.extend)
            length = struct.unpack(">Q", ext)[0]
        mask = bytearray()
        if masked:
            self.read_exact(4, mask.extend)
        payload = bytearray()
        self.read_exact(length, payload.extend)
        if masked:
            payload = bytearray(b ^ mask[i % 4] for i, b in enumerate(payload))
        return opcode, bytes(payload)


def ws_frame(opcode, payload, mask):
    """One final frame; clients mask (RFC 6455 §5.3), servers do not."""
    head = bytearray([0x80 | opcode])
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        head.append(mbit | n)
    elif n < 65536:
        head.append(mbit | 126)
        head += struct.pack(">H", n)
    else:
        head.append(mbit | 127)
        head += struct.pack(">Q", n)
    if mask:
        key = b"\x01\x02\x03\x04"
        head += key
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return bytes(head) + payload


def header(headers, name):
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def serve_control(listener, recorder):
    """The side channel: answers every request on the control port with the recordings as JSON, then closes."""
    while True:
        sock, _ = listener.accept()
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                piece = sock.recv(4096)
                if not piece:
                    break
                data += piece
            body = recorder.snapshot().encode()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        finally:
            sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="backend")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    recorder = Recorder()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    control = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    control.bind(("127.0.0.1", 0))
    control.listen(64)
    threading.Thread(target=serve_control, args=(control, recorder), daemon=True).start()
    sys.stdout.write(json.dumps({"port": listener.getsockname()[1], "control": control.getsockname()[1]}) + "\n")
    sys.stdout.flush()

    while True:
        sock, peer = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn_id = recorder.new_connection(peer)
        threading.Thread(target=Connection(sock, conn_id, recorder, args.name).serve, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
