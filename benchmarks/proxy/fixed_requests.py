"""Sends exactly TOTAL GET requests to 127.0.0.1:PORT over CONNECTIONS keep-alive connections and reads every response.

Usage: python3 fixed_requests.py PORT TOTAL CONNECTIONS

A fixed count (wrk runs for a fixed time) lets instructions.sh divide a whole run's instruction count by the requests
in it. Each connection sends its share one request at a time, as wrk does; responses must carry Content-Length.
"""

import asyncio
import sys


async def client(port, count, request):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(count):
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await reader.readexactly(length)
    writer.close()
    await writer.wait_closed()


async def main():
    port, total, connections = (int(arg) for arg in sys.argv[1:4])
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port
    shares = [total // connections + (1 if i < total % connections else 0) for i in range(connections)]
    await asyncio.gather(*(client(port, share, request) for share in shares if share))


if __name__ == "__main__":
    asyncio.run(main())
