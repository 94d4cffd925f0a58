#!/usr/bin/env python3
"""A real backend process for tracing tests: records every request's head as one JSON line and answers by path.

Usage: recording_backend.py PORT_FILE RECORD_FILE
Paths: /status/NNN answers NNN; /slow/SECONDS waits first; /servertiming adds a Server-Timing header;
/drop-second closes the connection without answering when a request is the second on its connection.
Anything else answers 200 with a small body. Listens on 127.0.0.1 only.
"""
import json
import socket
import sys
import threading
import time


def handle(conn, record_path, lock):
    conn.settimeout(30)
    buf = b""
    served = 0
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
            head, buf = buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = []
            for line in lines[1:]:
                name, value = line.split(":", 1)
                headers.append([name.strip().lower(), value.strip()])
            length = 0
            chunked = False
            for name, value in headers:
                if name == "content-length":
                    length = int(value)
                if name == "transfer-encoding" and value.lower() == "chunked":
                    chunked = True
            body = b""
            if chunked:
                while True:
                    while b"\r\n" not in buf:
                        buf += conn.recv(65536)
                    size_line, buf = buf.split(b"\r\n", 1)
                    size = int(size_line.split(b";")[0], 16)
                    while len(buf) < size + 2:
                        buf += conn.recv(65536)
                    body += buf[:size]
                    buf = buf[size + 2:]
                    if size == 0:
                        break
            else:
                while len(buf) < length:
                    buf += conn.recv(65536)
                body, buf = buf[:length], buf[length:]
            served += 1
            with lock:
                with open(record_path, "a") as f:
                    f.write(json.dumps({"method": method, "target": target, "headers": headers,
                                        "body_size": len(body), "nth": served}) + "\n")
            path = target.split("?")[0]
            status = 200
            extra = ""
            if path.startswith("/status/"):
                status = int(path.split("/")[2])
            elif path.startswith("/slow/"):
                time.sleep(float(path.split("/")[2]))
            elif path == "/servertiming":
                extra = "Server-Timing: db;dur=53\r\n"
            elif path == "/drop-second" and served == 2:
                return
            payload = b"" if method == "HEAD" or status in (204, 304) else b"ok\n"
            response = (f"HTTP/1.1 {status} X\r\nContent-Length: {len(payload)}\r\n{extra}\r\n").encode() + payload
            conn.sendall(response)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    port_file, record_path = sys.argv[1], sys.argv[2]
    lock = threading.Lock()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.getsockname()[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn, record_path, lock), daemon=True).start()


if __name__ == "__main__":
    main()
