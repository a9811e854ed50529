#!/usr/bin/python3
"""A scriptable HubSpot CRM Imports stand-in for the gateway's integration tests.

Speaks the REST shapes of /crm/v3/imports and /oauth/v1/token over HTTP/1.1
(optionally TLS), checks credentials the way HubSpot does, and lets a test
script failures through /__control endpoints (unauthenticated; loopback only).
Prints "PORT <n>" on stdout once it accepts connections.
"""

import argparse
import hashlib
import json
import select
import socket
import ssl
import sys
import threading
import uuid
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

IMPORT_TEMPLATE = {
    "createdAt": "2024-01-14T22:45:00.153Z",
    "updatedAt": "2024-01-14T22:47:10.000+00:00",
    "metadata": {
        "counters": {"TOTAL_ROWS": 3, "CREATED_OBJECTS": 2, "ERRORS": 1},
        "fileIds": ["3579849"],
        "objectLists": [{"listId": "3", "objectType": "contacts"}],
    },
    "importRequestJson": {"name": "contacts", "dateFormat": "DAY_MONTH_YEAR"},
    "importSource": "API",
    "optOutImport": False,
    "mappedObjectTypeIds": ["0-1"],
    "importTemplate": {"templateId": 12, "templateType": "user_file"},
}


class State:
    def __init__(self, args):
        self.lock = threading.Condition()
        self.args = args
        self.access_tokens = set()
        self.refresh_token = args.refresh_token
        self.token_requests = 0
        self.token_counter = 0
        self.requests = []  # (method, path, selected headers)
        self.overrides = []  # scripted answers
        self.hangs = {}  # path -> number of requests to hold
        self.held = 0
        self.releases = 0
        self.next_import_id = 1000
        self.uploads = []  # complete uploads, as received
        self.aborted_uploads = 0
        self.rejected_uploads = 0
        self.upload_bytes = 0
        self.upload_attempts = 0
        self.refused_uploads = 0
        self.aborted = 0
        self.imports = {}
        for n, (iid, state, name) in enumerate(
            [(101, "STARTED", "first"), (102, "PROCESSING", "second"),
             (103, "DONE", "third")]):
            imp = dict(IMPORT_TEMPLATE)
            imp.update(id=str(iid), state=state, importName=name)
            self.imports[iid] = imp
        self.errors = {
            103: [{
                "id": "e1",
                "createdAt": 1705272300153,
                "errorType": "INVALID_EMAIL",
                "objectType": "CONTACT",
                "objectTypeId": "0-1",
                "invalidValue": "not-an-email",
                "knownColumnNumber": 2,
                "sourceData": {"rowData": ["Ann", "not-an-email"],
                               "lineNumber": 3, "fileId": 7,
                               "containsEncryptedProperties": False},
                "errorMessage": "Invalid email address",
            }, {
                "id": "e2",
                "createdAt": 1705272300999,
                "errorType": "SOME_FUTURE_ERROR_TYPE",
                "objectType": "CONTACT",
                "sourceData": {"rowData": ["Bo", "x", "y"], "lineNumber": 4,
                               "fileId": 7,
                               "containsEncryptedProperties": False},
                "errorMessage": "Incorrect number of columns",
            }]
        }

    def new_access_token(self):
        self.token_counter += 1
        token = "at-%d-%s" % (self.token_counter, uuid.uuid4().hex)
        self.access_tokens.add(token)
        return token


def error_body(status, message, category, **extra):
    body = {"status": "error", "message": message,
            "correlationId": str(uuid.uuid4()), "category": category}
    body.update(extra)
    return body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set by main

    def log_message(self, *args):  # quiet: never print requests (tokens)
        pass

    # -- plumbing ---------------------------------------------------------
    def send_json(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def dispatch(self, method):
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if method == "POST" and path == "/crm/v3/imports":
            return self.upload()
        body = self.read_body()
        if path.startswith("/__control/"):
            return self.control(path[len("/__control/"):], body)
        st = self.state
        with st.lock:
            st.requests.append({
                "method": method, "path": path, "query": url.query,
                "authorization": self.headers.get("Authorization", ""),
                "legacy": self.headers.get("private-app-legacy", ""),
                "accept": self.headers.get("Accept", ""),
                "content_type": self.headers.get("Content-Type", ""),
                "traceparent": self.headers.get("traceparent", ""),
                "tracestate": self.headers.get("tracestate", ""),
            })
            hang = st.hangs.get(path, 0)
            if hang:
                st.hangs[path] = hang - 1
                st.held += 1
                st.lock.notify_all()
        if hang and not self.hold():
            return
        if path == "/oauth/v1/token" and method == "POST":
            return self.token(body)
        override = self.take_override(path)
        if override is not None:
            return self.scripted(override)
        if not self.authenticated():
            return self.send_json(401, error_body(
                401, "Authentication credentials not found.",
                "INVALID_AUTHENTICATION"))
        return self.imports_api(method, path, query)

    def hold(self):
        """Holds a request until the client goes away (counted as aborted)
        or a test releases it. Returns True when released."""
        st = self.state
        try:
            while True:
                with st.lock:
                    if st.releases > 0:
                        st.releases -= 1
                        return True
                readable, _, _ = select.select([self.connection], [], [], 0.05)
                if readable and not self.connection.recv(1):
                    break
        except (OSError, ssl.SSLError, ValueError):
            pass
        with st.lock:
            st.aborted += 1
            st.lock.notify_all()
        self.close_connection = True
        return False

    def take_override(self, path):
        st = self.state
        with st.lock:
            for o in st.overrides:
                if o["path"] == path and o["times"] != 0:
                    o["times"] -= 1
                    return o
        return None

    def scripted(self, o):
        if o.get("drop"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        raw = o.get("raw")
        if raw is not None:
            data = raw.encode()
            self.send_response(o.get("status", 200))
            self.send_header("Content-Type", "application/json")
            declared = o.get("content_length", len(data))
            self.send_header("Content-Length", str(declared))
            for k, v in o.get("headers", {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            if declared != len(data):
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_json(o.get("status", 200), o.get("body", {}),
                       o.get("headers"))

    def authenticated(self):
        st = self.state
        auth = self.headers.get("Authorization", "")
        legacy = self.headers.get("private-app-legacy", "")
        with st.lock:
            if auth.startswith("Bearer "):
                token = auth[len("Bearer "):]
                if st.args.access_token and token == st.args.access_token:
                    return True
                return token in st.access_tokens
            if legacy and st.args.legacy_key:
                return legacy == st.args.legacy_key
        return False

    # -- OAuth --------------------------------------------------------------
    def token(self, body):
        form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        st = self.state
        with st.lock:
            st.token_requests += 1
            ok = (form.get("grant_type") == "refresh_token"
                  and form.get("client_id") == st.args.client_id
                  and form.get("client_secret") == st.args.client_secret
                  and st.refresh_token is not None
                  and form.get("refresh_token") == st.refresh_token)
            if ok:
                access = st.new_access_token()
                if st.args.rotate_refresh_token:
                    st.refresh_token = "rt-%s" % uuid.uuid4().hex
                refresh = st.refresh_token
        if not ok:
            return self.send_json(400, {
                "status": "BAD_REFRESH_TOKEN",
                "message": "missing or unknown refresh token",
                "correlationId": str(uuid.uuid4())})
        self.send_json(200, {"token_type": "bearer", "access_token": access,
                             "refresh_token": refresh,
                             "expires_in": st.args.token_lifetime})

    # -- Uploads ------------------------------------------------------------
    def read_streamed_body(self):
        """The whole body (Content-Length or chunked), or None if the client
        went away before it ended."""
        st = self.state
        parts = []

        def got(data):
            parts.append(data)
            with st.lock:
                st.upload_bytes += len(data)
                st.lock.notify_all()
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return None
                    size = int(line.split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(parts)
                    data = self.rfile.read(size)
                    if len(data) < size:
                        return None
                    self.rfile.readline()
                    got(data)
            left = int(self.headers.get("Content-Length") or 0)
            while left > 0:
                data = self.rfile.read1(min(left, 1 << 16))
                if not data:
                    return None
                left -= len(data)
                got(data)
            return b"".join(parts)
        except (OSError, ValueError):
            return None

    def refuse_midway(self, override):
        st = self.state
        left = override["after_bytes"]
        try:
            while left > 0:
                data = self.rfile.read1(min(left, 1 << 16))
                if not data:
                    break
                left -= len(data)
            with st.lock:
                st.refused_uploads += 1
                st.lock.notify_all()
            self.close_connection = True
            self.scripted(override)
            self.wfile.flush()
            # Drained, not reset: the client reads the answer while sending.
            self.connection.settimeout(30)
            while self.rfile.read1(1 << 16):
                pass
        except (OSError, ValueError):
            pass

    def upload(self):
        """POST /crm/v3/imports. A scripted answer with "before_body" is
        given before reading the body (as HubSpot's rate limiter does), then
        the connection closes; one with "after_bytes": N once N bytes of the
        body arrived, then the rest is read and dropped; otherwise it
        replaces the answer to a complete body (which then creates no
        import)."""
        st = self.state
        override = self.take_override("/crm/v3/imports")
        with st.lock:
            st.upload_attempts += 1
            if override is not None and override.get("before_body"):
                st.refused_uploads += 1
                st.lock.notify_all()
        if override is not None and override.get("before_body"):
            self.close_connection = True
            return self.scripted(override)
        if override is not None and "after_bytes" in override:
            return self.refuse_midway(override)
        body = self.read_streamed_body()
        if body is None:
            with st.lock:
                st.aborted_uploads += 1
                st.lock.notify_all()
            self.close_connection = True
            return
        if override is not None:
            return self.scripted(override)
        if not self.authenticated():
            return self.send_json(401, error_body(
                401, "Authentication credentials not found.",
                "INVALID_AUTHENTICATION"))
        content_type = self.headers.get("Content-Type", "")
        msg = BytesParser(policy=policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        boundary = msg.get_boundary()
        # Strict about the end: a body without its closing delimiter is not
        # an upload HubSpot would accept.
        if (not msg.is_multipart() or boundary is None
                or not body.endswith(("\r\n--%s--\r\n" % boundary).encode())):
            with st.lock:
                st.rejected_uploads += 1
            return self.send_json(400, error_body(
                400, "Malformed multipart body", "VALIDATION_ERROR"))
        request = None
        files = []
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if name == "importRequest":
                request = json.loads(data)
            elif name == "files":
                files.append({"name": part.get_filename(),
                              "content_type": part.get_content_type(),
                              "size": len(data),
                              "sha256": hashlib.sha256(data).hexdigest()})
        if request is None or not files:
            with st.lock:
                st.rejected_uploads += 1
            return self.send_json(400, error_body(
                400, "importRequest and files are required",
                "VALIDATION_ERROR"))
        with st.lock:
            iid = st.next_import_id
            st.next_import_id += 1
            imp = dict(IMPORT_TEMPLATE)
            imp.update(id=str(iid), state="STARTED",
                       importName=request.get("name", ""),
                       importRequestJson=request)
            st.imports[iid] = imp
            st.uploads.append({"import_id": iid, "request": request,
                               "files": files,
                               "traceparent": self.headers.get("traceparent", "")})
        self.send_json(200, imp)

    # -- Imports API --------------------------------------------------------
    def imports_api(self, method, path, query):
        st = self.state
        parts = path.strip("/").split("/")
        if parts[:3] != ["crm", "v3", "imports"]:
            return self.send_json(404, error_body(404, "Not found",
                                                  "OBJECT_NOT_FOUND"))
        rest = parts[3:]
        with st.lock:
            if method == "GET" and not rest:
                active = [i for i in st.imports.values()
                          if i["state"] in ("STARTED", "PROCESSING")]
                limit = int(query.get("limit", "10"))
                after = int(query.get("after", "0"))
                page = active[after:after + limit]
                body = {"results": page}
                if after + limit < len(active):
                    body["paging"] = {"next": {
                        "after": str(after + limit),
                        "link": "?after=%d" % (after + limit)}}
                return self.send_json(200, body)
            try:
                iid = int(rest[0]) if rest else 0
            except ValueError:
                iid = 0
            imp = st.imports.get(iid)
            if imp is None:
                return self.send_json(404, error_body(
                    404, "Import %s not found" % (rest[0] if rest else ""),
                    "OBJECT_NOT_FOUND"))
            if method == "GET" and len(rest) == 1:
                return self.send_json(200, imp)
            if method == "GET" and rest[1:] == ["errors"]:
                results = []
                for e in st.errors.get(iid, []):
                    e = dict(e)
                    if query.get("includeErrorMessage") != "true":
                        e.pop("errorMessage", None)
                    if query.get("includeRowData") != "true":
                        e["sourceData"] = dict(e["sourceData"], rowData=[])
                    results.append(e)
                return self.send_json(200, {"results": results})
            if method == "POST" and rest[1:] == ["cancel"]:
                if imp["state"] not in ("STARTED", "PROCESSING"):
                    return self.send_json(409, error_body(
                        409, "Import is %s and cannot be canceled" % imp["state"],
                        "CONFLICT", subCategory="ImportError.NOT_CANCELABLE"))
                imp["state"] = "CANCELED"
                return self.send_json(200, {
                    "status": "COMPLETE",
                    "requestedAt": "2024-01-15T10:00:00Z",
                    "startedAt": "2024-01-15T10:00:00.100Z",
                    "completedAt": "2024-01-15T10:00:00.250Z",
                    "links": {"import": "/crm/v3/imports/%d" % iid}})
        return self.send_json(405, error_body(405, "Method not allowed",
                                              "VALIDATION_ERROR"))

    # -- Test control ---------------------------------------------------------
    def control(self, what, body):
        st = self.state
        req = json.loads(body or b"{}")
        with st.lock:
            if what == "stats":
                return self.send_json(200, {
                    "token_requests": st.token_requests,
                    "requests": st.requests, "held": st.held,
                    "aborted": st.aborted, "uploads": st.uploads,
                    "aborted_uploads": st.aborted_uploads,
                    "rejected_uploads": st.rejected_uploads,
                    "upload_bytes": st.upload_bytes,
                    "upload_attempts": st.upload_attempts,
                    "refused_uploads": st.refused_uploads})
            if what == "expire-access-tokens":
                st.access_tokens.clear()
            elif what == "revoke-refresh-token":
                st.refresh_token = None
            elif what == "respond":
                req.setdefault("times", 1)
                st.overrides.append(req)
            elif what == "hang":
                st.hangs[req["path"]] = req.get("times", 1)
            elif what == "release":
                st.releases += req.get("count", 1)
            elif what == "wait":
                # Blocks until `held` or `aborted` reach the given counts.
                ok = st.lock.wait_for(
                    lambda: st.held >= req.get("held", 0)
                    and st.aborted >= req.get("aborted", 0)
                    and st.upload_bytes >= req.get("upload_bytes", 0)
                    and st.aborted_uploads >= req.get("aborted_uploads", 0)
                    and st.refused_uploads >= req.get("refused_uploads", 0)
                    and st.upload_attempts >= req.get("upload_attempts", 0),
                    timeout=req.get("timeout", 20))
                return self.send_json(200 if ok else 408, {
                    "held": st.held, "aborted": st.aborted,
                    "upload_bytes": st.upload_bytes,
                    "aborted_uploads": st.aborted_uploads,
                    "refused_uploads": st.refused_uploads,
                    "upload_attempts": st.upload_attempts})
            elif what == "reset":
                st.requests = []
                st.token_requests = 0
                st.overrides = []
            else:
                return self.send_json(404, {"message": "unknown control"})
        self.send_json(200, {})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--tls-client-ca",
                   help="require client certificates signed by this CA")
    p.add_argument("--tls-1-2-only", action="store_true",
                   help="offer nothing newer than TLS 1.2")
    p.add_argument("--access-token")
    p.add_argument("--legacy-key")
    p.add_argument("--client-id")
    p.add_argument("--client-secret")
    p.add_argument("--refresh-token")
    p.add_argument("--token-lifetime", type=int, default=1800)
    p.add_argument("--rotate-refresh-token", action="store_true")
    # Secrets may come from the environment instead of the command line.
    args = p.parse_args()
    import os
    for name in ("access_token", "legacy_key", "client_id", "client_secret",
                 "refresh_token"):
        env = os.environ.get("FAKE_HUBSPOT_" + name.upper())
        if env and getattr(args, name) is None:
            setattr(args, name, env)
    Handler.state = State(args)
    server = Server(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        ctx.set_alpn_protocols(["http/1.1"])
        if args.tls_1_2_only:
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        if args.tls_client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(args.tls_client_ca)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
