#!/usr/bin/env python3
# A fake Docker Engine API on a unix socket, for tests/run-check.sh: GET
# /containers/NAME/json answers with DIR/NAME.json (404 when there is none),
# GET /containers/json with the ids of DIR/*.json whose State.Running is
# true. Options: --chunked (chunked transfer coding), --raw FILE (answer every
# request with FILE's bytes as they are).
import json, os, socket, sys

sock, d = sys.argv[1], sys.argv[2]
chunked = "--chunked" in sys.argv
raw = sys.argv[sys.argv.index("--raw") + 1] if "--raw" in sys.argv else None

def answer(path):
    if raw:
        return open(raw, "rb").read()
    status, body = 404, b'{"message":"No such container"}'
    if path == "/containers/json":
        ids = []
        for f in sorted(os.listdir(d)):
            if f.endswith(".json"):
                try:
                    o = json.load(open(os.path.join(d, f)))
                    if o["State"]["Running"]:
                        ids.append({"Id": o["Id"], "Names": [o["Name"]]})
                except (ValueError, KeyError, TypeError):
                    pass
        status, body = 200, json.dumps(ids).encode()
    elif path.startswith("/containers/") and path.endswith("/json"):
        name = path[len("/containers/"):-len("/json")]
        f = os.path.join(d, name + ".json")
        if "/" not in name and not os.path.exists(f):
            for g in sorted(os.listdir(d)):   # an id
                try:
                    if g.endswith(".json") and json.load(open(os.path.join(d, g)))["Id"] == name:
                        f = os.path.join(d, g)
                except (ValueError, KeyError, TypeError):
                    pass
        if "/" not in name and os.path.exists(f):
            status, body = 200, open(f, "rb").read()
    head = "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nApi-Version: 1.45\r\n" % (
        status, "OK" if status == 200 else "Not Found")
    if chunked:
        out = b""
        for i in range(0, len(body), 100):
            part = body[i:i + 100]
            out += b"%x\r\n" % len(part) + part + b"\r\n"
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + out + b"0\r\n\r\n"
    return (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body

if os.path.exists(sock):
    os.unlink(sock)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sock)
s.listen(8)
while True:
    c, _ = s.accept()
    req = b""
    while b"\r\n\r\n" not in req:
        b = c.recv(4096)
        if not b:
            break
        req += b
    line = req.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    if len(line) == 3 and line[0] == "GET":
        c.sendall(answer(line[1]))
    c.close()
