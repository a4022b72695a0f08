"""Attachments: ``POST /upload`` (multipart) and ``GET /download/<id>``.

https://developer.intuit.com/app/developer/qbo/docs/workflows/attach-images-and-notes
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/attachable#upload-attachments

* ``POST /v3/company/<realmId>/upload``, ``multipart/form-data``: each file is a pair of
  parts, ``file_metadata_<n>`` (``application/json``: the Attachable, with its
  ``AttachableRef`` list naming the transactions or names it is attached to) and
  ``file_content_<n>`` (the file, with its file name and content type); a file part without
  metadata is stored unattached.  The answer is
  ``{"AttachableResponse": [{"Attachable": {...}}, ...], "time": ...}``; a part that
  fails answers ``{"Fault": ...}`` in its place.
* The stored Attachable carries ``FileName``, ``ContentType``, ``Size``, ``FileAccessUri``
  (``/v3/company/<realmId>/download/<id>``) and ``TempDownloadUri`` (a link that works
  without a token, as Intuit's pre-signed one does).
* ``GET /download/<id>`` answers the temporary download link as plain text.
* Limits: 100 MB per file; the file types Intuit lists (ai, csv, doc, docx, eps, gif, jpeg,
  jpg, ods, pdf, png, rtf, tif, txt, xls, xlsx, xml).
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets

from werkzeug.wrappers import Response

from . import entities, faults, objects, operations
from .clock import iso_time
from .context import Ctx

MAX_FILE_SIZE = 100 * 1024 * 1024
ALLOWED_EXTENSIONS = {"ai", "csv", "doc", "docx", "eps", "gif", "jpeg", "jpg", "ods", "pdf", "png", "rtf", "tif",
                      "txt", "xls", "xlsx", "xml"}
_SECRET = secrets.token_bytes(32)


def _signature(realm_id, attachable_id):
    return hmac.new(_SECRET, f"{realm_id}:{attachable_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _check_file(name, size):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise faults.business_validation(
            f"Unsupported file type: {name!r}. Supported types: {', '.join(sorted(ALLOWED_EXTENSIONS))}.", "FileName")
    if size > MAX_FILE_SIZE:
        # Intuit's IPP error list: 6030 "Upload request size exceeds allowed limit".
        raise faults.validation("6030", "Upload request size exceeds allowed limit",
                                f"The file upload request should not exceed 100MB in size. The current request size "
                                f"is {size}")


_BASE64_PART = re.compile(
    rb'name="file_content_(\w+)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Content-Transfer-Encoding:\s*base64', re.IGNORECASE)


def _contents(request, raw):
    """``{suffix: (file name, content type, bytes)}`` of the ``file_content_<n>`` parts.  A
    part sent without a file name (python-quickbooks does so) arrives as a form field; a
    part marked ``Content-Transfer-Encoding: base64`` is decoded."""
    encoded = {match.group(1).decode() for match in _BASE64_PART.finditer(raw)}
    found = {}
    for key, storage in request.files.items():
        if key.startswith("file_content_"):
            found[key[len("file_content_"):]] = (storage.filename, storage.mimetype, storage.read())
    for key, value in request.form.items():
        if key.startswith("file_content_"):
            found[key[len("file_content_"):]] = (None, None, value.encode("utf-8"))
    for suffix in encoded & set(found):
        name, mimetype, content = found[suffix]
        try:
            found[suffix] = (name, mimetype, base64.b64decode(b"".join(content.split()), validate=True))
        except (ValueError, binascii.Error) as exc:
            raise faults.invalid_property(f"file_content_{suffix}: {exc}", f"file_content_{suffix}") from exc
    return found


def upload(emulator, request, realm_id):
    if request.mimetype != "multipart/form-data":
        raise faults.unsupported_operation("upload needs a multipart/form-data request")
    raw = request.get_data(cache=True)  # the form is parsed from this copy
    metadata = {}
    for key, value in request.form.items():
        if key.startswith("file_metadata_"):
            try:
                metadata[key[len("file_metadata_"):]] = json.loads(value)
            except ValueError as exc:
                raise faults.invalid_property(f"{key}: {exc}", key) from exc
    for key, storage in request.files.items():
        if key.startswith("file_metadata_"):
            try:
                metadata[key[len("file_metadata_"):]] = json.loads(storage.read().decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise faults.invalid_property(f"{key}: {exc}", key) from exc
    contents = _contents(request, raw)
    if not contents:
        raise faults.required_param_missing("file_content_01", "Required parameter file_content is missing in the "
                                                               "request")
    answers = []
    base = emulator.base_url(request)
    with emulator.store.write() as db:
        ctx = Ctx(emulator, db, realm_id)
        for suffix in sorted(contents):
            filename, mimetype, content = contents[suffix]
            meta = metadata.get(suffix) or {}
            meta = dict(meta.get("Attachable", meta)) if isinstance(meta, dict) else {}
            name = meta.get("FileName") or filename or f"file_{suffix}"
            content_type = meta.get("ContentType") or mimetype or "application/octet-stream"
            try:
                _check_file(name, len(content))
                meta.update(FileName=name, ContentType=content_type)
                obj = operations.create(ctx, entities.get("Attachable"), meta)
                obj.update(Size=len(content),
                           FileAccessUri=f"/v3/company/{realm_id}/download/{obj['Id']}",
                           TempDownloadUri=f"{base}/_files/{realm_id}/{obj['Id']}"
                                           f"?signature={_signature(realm_id, obj['Id'])}")
                db.execute("INSERT OR REPLACE INTO files (realm_id, attachable_id, content_type, content)"
                           " VALUES (?, ?, ?, ?)", (realm_id, int(obj["Id"]), content_type, content))
                db.execute("UPDATE objects SET data = ? WHERE realm_id = ? AND entity = 'Attachable' AND id = ?",
                           (objects.dumps(obj), realm_id, int(obj["Id"])))
                answers.append({"Attachable": obj})
            except faults.QBOFault as fault:
                # Checks run before anything is written: a refused part leaves nothing behind.
                answers.append({"Fault": fault.body()})
        emulator.webhooks.record(db, realm_id, ctx.events, ctx.now)
    body = json.dumps({"AttachableResponse": answers, "time": iso_time(emulator.clock.now())})
    return Response(body, content_type="application/json;charset=UTF-8")


def download_link(emulator, request, realm_id, attachable_id):
    with emulator.store.read() as db:
        obj = objects.get(db, realm_id, "Attachable", attachable_id)
        stored = db.execute("SELECT 1 FROM files WHERE realm_id = ? AND attachable_id = ?",
                            (realm_id, int(attachable_id) if str(attachable_id).isdigit() else -1)).fetchone()
    if obj is None or stored is None:
        raise faults.object_not_found("Attachable", attachable_id)
    return Response(obj["TempDownloadUri"], content_type="text/plain;charset=UTF-8")


def serve_file(emulator, request, realm_id, attachable_id):
    """The temporary download link: no token, a signature instead (404 when it is wrong)."""
    from werkzeug.exceptions import NotFound  # noqa: PLC0415

    if not hmac.compare_digest(request.args.get("signature", ""), _signature(realm_id, attachable_id)):
        raise NotFound()
    with emulator.store.read() as db:
        row = db.execute("SELECT content_type, content FROM files WHERE realm_id = ? AND attachable_id = ?",
                         (realm_id, int(attachable_id))).fetchone()
    if row is None:
        raise NotFound()
    return Response(bytes(row["content"]), content_type=row["content_type"])
