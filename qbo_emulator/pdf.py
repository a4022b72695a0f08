"""A real (small) PDF of a sales form, for ``GET /<entity>/<id>/pdf``: one A4 page of text in
Helvetica, with valid cross-reference offsets, so that PDF readers and libraries open it."""


def _escape(text):
    return str(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")


def render(title, lines):
    """``title`` and a list of text lines -> PDF bytes."""
    content = [b"BT /F1 18 Tf 50 790 Td (" + _escape(title) + b") Tj ET"]
    y = 760
    for line in lines[:60]:
        content.append(b"BT /F1 10 Tf 50 %d Td (" % y + _escape(line) + b") Tj ET")
        y -= 12
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sales_form_lines(entity, obj, company_name):
    lines = [company_name, "", f"{entity} {obj.get('DocNumber') or obj['Id']}   Date {obj.get('TxnDate', '')}"]
    customer = (obj.get("CustomerRef") or obj.get("VendorRef") or {}).get("name")
    if customer:
        lines.append(f"Bill to: {customer}")
    if obj.get("DueDate"):
        lines.append(f"Due date: {obj['DueDate']}")
    lines.append("")
    for line in obj.get("Line") or []:
        if line.get("DetailType") in ("SubTotalLineDetail",):
            continue
        detail = line.get("SalesItemLineDetail") or line.get("ItemBasedExpenseLineDetail") or {}
        item = (detail.get("ItemRef") or {}).get("name") or line.get("Description") or line.get("DetailType", "")
        qty = detail.get("Qty")
        lines.append(f"{item[:50]:<50} {'' if qty is None else qty:>8} {float(line.get('Amount') or 0):>12,.2f}")
    lines.append("")
    tax = (obj.get("TxnTaxDetail") or {}).get("TotalTax")
    if tax:
        lines.append(f"{'Tax':<59} {float(tax):>12,.2f}")
    lines.append(f"{'Total':<59} {float(obj.get('TotalAmt') or 0):>12,.2f}")
    if "Balance" in obj:
        lines.append(f"{'Balance due':<59} {float(obj.get('Balance') or 0):>12,.2f}")
    return lines
