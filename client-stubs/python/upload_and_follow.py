#!/usr/bin/python3
"""Uploads a CSV through the gateway (StartImport, client streaming), follows
the import until it ends (GetImport) and lists its errors (ListImportErrors).

    upload_and_follow.py --gateway 127.0.0.1:50051 --request request.json FILE

Prints one line per step; exits 0 when the import reached DONE.
"""

import argparse
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

import grpc  # noqa: E402
from hubspot.crm.imports.v1 import import_pb2  # noqa: E402
from hubspot.crm.imports.v1 import import_service_pb2 as api  # noqa: E402
from hubspot.crm.imports.v1 import import_service_pb2_grpc as api_grpc  # noqa: E402

CHUNK = 1 << 20
FINISHED = {import_pb2.IMPORT_STATE_DONE, import_pb2.IMPORT_STATE_FAILED,
            import_pb2.IMPORT_STATE_CANCELED}


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.digest()


def upload_messages(request_json, path):
    """start (the request and the file, with size and SHA-256 for the
    gateway to verify), the file's bytes, end."""
    yield api.StartImportRequest(start=api.StartImportHeader(
        import_request_json=request_json,
        files=[api.UploadFile(file_name=os.path.basename(path),
                              content_type="text/csv",
                              size_bytes=os.path.getsize(path),
                              sha256=sha256_of(path))]))
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            yield api.StartImportRequest(chunk=api.FileChunk(file_index=0, data=block))
    yield api.StartImportRequest(end=api.UploadEnd())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gateway", default="127.0.0.1:50051")
    p.add_argument("--request", required=True, help="HubSpot importRequest JSON file")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between GetImports")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the end")
    p.add_argument("file")
    args = p.parse_args()
    with open(args.request) as f:
        request_json = f.read()

    with grpc.insecure_channel(args.gateway) as channel:
        stub = api_grpc.ImportServiceStub(channel)
        imp = stub.StartImport(upload_messages(request_json, args.file), timeout=3600)
        print("started import %d (%s)" % (imp.id, imp.state_raw), flush=True)

        give_up = time.monotonic() + args.timeout
        while imp.state not in FINISHED:
            if time.monotonic() > give_up:
                print("still %s after %ss" % (imp.state_raw, args.timeout))
                return 1
            time.sleep(args.poll)
            imp = stub.GetImport(api.GetImportRequest(import_id=imp.id), timeout=30)
            print("import %d is %s" % (imp.id, imp.state_raw), flush=True)
        counters = dict(imp.metadata.counters)
        print("counters " + " ".join("%s=%d" % kv for kv in sorted(counters.items())))

        after = ""
        while True:
            page = stub.ListImportErrors(api.ListImportErrorsRequest(
                import_id=imp.id, after=after, limit=100,
                include_error_message=True, include_row_data=True), timeout=30)
            for e in page.results:
                print("error line %d %s: %s" % (e.source_data.line_number,
                                                e.error_type_raw, e.error_message))
            after = page.paging.next.after
            if not after:
                break
    return 0 if imp.state == import_pb2.IMPORT_STATE_DONE else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as e:
        print("failed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
        sys.exit(2)
