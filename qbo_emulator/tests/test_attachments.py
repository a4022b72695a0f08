"""Attachments: POST /upload (multipart: file_metadata_01 + file_content_01), the stored
Attachable with its download links, GET /download/<id>, the documented type limits.
https://developer.intuit.com/app/developer/qbo/docs/workflows/attach-images-and-notes
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/attachable
"""

import json

import requests
from conftest import fault_of
from test_transactions import line, new_customer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(company, parts):
    return company.emulator.api("POST", company.realm, "upload", token=company.token,
                                params={"minorversion": 75}, files=parts)


def test_upload_attaches_a_file_to_an_invoice_and_it_downloads(company):
    customer = new_customer(company, "Attachment Customer")
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 10.0)]})
    meta = {"AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice["Id"]}, "IncludeOnSend": True}],
            "FileName": "delivery-slip.pdf", "ContentType": "application/pdf"}
    answer = upload(company, {"file_metadata_01": (None, json.dumps(meta), "application/json"),
                              "file_content_01": ("delivery-slip.pdf", PDF, "application/pdf")})
    assert answer.status_code == 200, answer.text
    attachable = answer.json()["AttachableResponse"][0]["Attachable"]
    assert attachable["FileName"] == "delivery-slip.pdf" and attachable["Size"] == len(PDF)
    assert attachable["ContentType"] == "application/pdf"
    assert attachable["AttachableRef"][0]["EntityRef"] == {"type": "Invoice", "value": invoice["Id"]}
    assert attachable["FileAccessUri"] == f"/v3/company/{company.realm}/download/{attachable['Id']}"
    assert company.read("Attachable", attachable["Id"])["Size"] == len(PDF)
    link = company.get(f"download/{attachable['Id']}")
    assert link.status_code == 200 and link.text == attachable["TempDownloadUri"]
    downloaded = requests.get(link.text, timeout=10)  # no token: a pre-signed link
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert requests.get(link.text.split("?")[0] + "?signature=forged", timeout=10).status_code == 404
    found = company.rows(f"select * from Attachable where AttachableRef.EntityRef.value = '{invoice['Id']}'")  # noqa: S608
    assert [a["Id"] for a in found] == [attachable["Id"]]


def test_upload_with_python_quickbooks(company, qb, tmp_path):
    """python-quickbooks sends the file base64-encoded (Content-Transfer-Encoding: base64)."""
    from quickbooks.objects.attachable import Attachable, AttachableRef  # noqa: PLC0415

    path = tmp_path / "receipt.txt"
    path.write_bytes(b"Paid in full, thank you.\n")
    attachment = Attachable()
    ref = AttachableRef()
    ref.EntityRef = {"type": "Customer", "value": "1"}
    attachment.AttachableRef.append(ref)
    attachment.FileName = "receipt.txt"
    attachment._FilePath = str(path)
    attachment.ContentType = "text/plain"
    saved = attachment.save(qb=qb)
    stored = company.read("Attachable", saved.Id)
    assert stored["Size"] == len(b"Paid in full, thank you.\n")
    link = company.get(f"download/{saved.Id}").text
    assert requests.get(link, timeout=10).content == b"Paid in full, thank you.\n"


def test_unsupported_file_type_and_missing_file_are_refused(company):
    answer = upload(company, {"file_metadata_01": (None, json.dumps({"FileName": "tool.exe"}), "application/json"),
                              "file_content_01": ("tool.exe", b"MZ", "application/octet-stream")})
    assert answer.status_code == 200
    fault = answer.json()["AttachableResponse"][0]["Fault"]
    assert fault["Error"][0]["code"] == "6000" and "tool.exe" in fault["Error"][0]["Detail"]
    assert company.rows("select * from Attachable where FileName = 'tool.exe'") == []
    empty = upload(company, {"file_metadata_01": (None, json.dumps({"FileName": "a.pdf"}), "application/json")})
    assert empty.status_code == 400 and fault_of(empty)["code"] == "2020"
    assert company.get("download/999999").status_code == 400


def test_file_above_the_size_limit_is_6030(company, monkeypatch):
    """6030 "Upload request size exceeds allowed limit" (100 MB; lowered here for the test).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    from qbo_emulator import attachments  # noqa: PLC0415 - the emulator runs in this process

    monkeypatch.setattr(attachments, "MAX_FILE_SIZE", 10)
    answer = upload(company, {"file_content_01": ("big.txt", b"x" * 11, "text/plain")})
    error = answer.json()["AttachableResponse"][0]["Fault"]["Error"][0]
    assert error["code"] == "6030" and "100MB" in error["Detail"]
