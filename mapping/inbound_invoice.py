"""Invoices and credit memos Odoo sent, changed in QuickBooks: flagged on the Odoo document,
never applied to Odoo's posted entries.

* **Voided or deleted** in QuickBooks while Odoo's document is posted: the document shows
  *Voided in QuickBooks* / *Deleted in QuickBooks* (field ``quickbooks_remote_status``, its
  QuickBooks badge *Conflict* with the reason) and a QuickBooks manager gets an activity; the
  Sync Log entry is a *conflict*.  Odoo's journal entries are not changed: cancelling the
  invoice or adding a credit note is an accountant's decision.  A document Odoo cancelled
  itself (Odoo voided it in QuickBooks) is not flagged.
* **Amounts edited** in QuickBooks: what QuickBooks holds is compared with Odoo's books (the
  total, the tax, the amount before tax, the currency: ``mapping.invoice.Books``) and each line's
  amount with the line Odoo sent (the link's ``synced_payload``).  A difference is a conflict
  showing both values (``conflict_details`` rows ``{field, odoo, quickbooks}``) and flags the
  document *Amounts edited in QuickBooks*.  Edits Odoo pushed itself equal Odoo's books, so they
  never come back as conflicts; a document being changed in Odoo (a draft, or a push waiting in
  the queue) is left to Odoo's push, whose stale-SyncToken check sees QuickBooks' edits.
* QuickBooks agrees again (the edit undone there): the flag is cleared.

Only documents Odoo sent (found by their link) are looked at; QuickBooks' other invoices are
not Odoo's.
"""

import json

from markupsafe import Markup, escape

from .common import ZERO, decimal
from .inbound_handler import InboundHandler, register
from .inbound_payment import last_updated
from .invoice import Books

SALES_LINES = ("SalesItemLineDetail", "GroupLineDetail")


def is_voided(obj):
    """QuickBooks keeps a voided invoice with its amounts at zero and "Voided" in its note."""
    if decimal(obj.get("TotalAmt")) != ZERO:
        return False
    note = (obj.get("PrivateNote") or "").lower()
    return "voided" in note or all(decimal(line.get("Amount")) == ZERO for line in obj.get("Line") or [])


def _line_amounts(document):
    return [decimal(line.get("Amount")) for line in document.get("Line") or []
            if line.get("DetailType") in SALES_LINES]


def differences(move, obj, sent=None):
    """``[{field, odoo, quickbooks}]``: what QuickBooks holds of ``move`` against Odoo's books
    (and each line against the line Odoo sent, ``sent``: the payload)."""
    code = move.currency_id.name
    books = Books(move)
    lines = _line_amounts(obj)
    discount = sum((decimal(line.get("Amount")) for line in obj.get("Line") or []
                    if line.get("DetailType") == "DiscountLineDetail"), ZERO)
    tax = (obj.get("TxnTaxDetail") or {}).get("TotalTax")
    rows = []
    for label, odoo, found in (("Total", books.total, decimal(obj.get("TotalAmt"))),
                               ("Tax", books.tax, decimal(tax) if tax is not None else books.tax),
                               ("Amount before tax", books.untaxed, sum(lines, ZERO) - discount)):
        if odoo != found:
            rows.append({"field": label, "odoo": f"{odoo:.2f} {code}", "quickbooks": f"{found:.2f} {code}"})
    stored_currency = (obj.get("CurrencyRef") or {}).get("value")
    if stored_currency and stored_currency != code:
        rows.append({"field": "Currency", "odoo": code, "quickbooks": stored_currency})
    if sent:
        expected = _line_amounts(sent)
        for number in range(max(len(expected), len(lines))):
            odoo = expected[number] if number < len(expected) else None
            found = lines[number] if number < len(lines) else None
            if odoo != found:
                rows.append({"field": f"Line {number + 1}",
                             "odoo": f"{odoo:.2f} {code}" if odoo is not None else "-",
                             "quickbooks": f"{found:.2f} {code}" if found is not None else "-"})
    return rows


def status_labels(env):
    return {"voided": env._("Voided in QuickBooks"), "deleted": env._("Deleted in QuickBooks"),
            "edited": env._("Amounts edited in QuickBooks")}


def _same_at_a_glance(move, obj, sent):
    """The stored totals and the lines Odoo sent agree (the common case, a balance that moved):
    no need to read the books' journal items."""
    currency = move.currency_id
    tax = (obj.get("TxnTaxDetail") or {}).get("TotalTax")
    return (sent is not None and decimal(obj.get("TotalAmt")) == decimal(currency.round(move.amount_total))
            and (tax is None or decimal(tax) == decimal(currency.round(move.amount_tax)))
            and (obj.get("CurrencyRef") or {}).get("value", currency.name) == currency.name
            and _line_amounts(obj) == _line_amounts(sent)
            and not any(line.get("DetailType") == "DiscountLineDetail" for line in obj.get("Line") or []))


def _sent_payload(binding):
    try:
        return json.loads(binding.synced_payload) if binding.synced_payload else None
    except ValueError:
        return None


class DocumentHandler(InboundHandler):
    """An Invoice or a CreditMemo Odoo sent."""

    def _links(self, env, realm_id, qbo_ids):
        links = env["quickbooks.binding"].sudo().search([
            ("realm_id", "=", realm_id), ("qbo_entity", "=", self.entity), ("qbo_id", "in", list(qbo_ids)),
            ("res_model", "=", "account.move")])
        return {link.qbo_id: link for link in links}

    def label(self, job, obj):
        number = obj.get("DocNumber") if obj else None
        return f"{self.entity} {job.qbo_id}" + (f" ({number})" if number else "")

    def changes(self, engine, env, objects):
        """Linked documents only, and of those what may differ from Odoo: deleted, voided, or
        whose total or lines are not what Odoo's books and payload say (a payment applied in
        QuickBooks changes an invoice's balance only: not worth a job)."""
        links = self._links(env, engine.realm_id, {str(obj["Id"]) for obj in objects})
        moves = env["account.move"].browse([link.res_id for link in links.values()]).exists()
        changes = {}
        for obj in objects:
            qbo_id = str(obj["Id"])
            link = links.get(qbo_id)
            move = moves.browse(link.res_id) if link and link.res_id in moves.ids else None
            if not move:
                continue
            if obj.get("status") == "Deleted":
                changes[qbo_id] = "Delete"
            elif link.origin == "push" and link.qbo_sync_token == str(obj.get("SyncToken", "")):
                continue  # as Odoo wrote it
            elif is_voided(obj) or move.quickbooks_remote_status or (
                    move.state == "posted" and not _same_at_a_glance(move, obj, _sent_payload(link))
                    and differences(move, obj, _sent_payload(link))):
                changes[qbo_id] = "Update"
        return changes

    def linked_ids(self, engine, env):
        """Posted documents Odoo sent and that are not flagged yet."""
        links = env["quickbooks.binding"].search_read([
            ("realm_id", "=", engine.realm_id), ("qbo_entity", "=", self.entity), ("res_model", "=", "account.move")],
            ["res_id", "qbo_id"])
        posted = set(env["account.move"].search([
            ("id", "in", [link["res_id"] for link in links]), ("state", "=", "posted"),
            ("quickbooks_remote_status", "=", False)]).ids)
        return [link["qbo_id"] for link in links if link["res_id"] in posted and link["qbo_id"].isdigit()]

    def skip_notification(self, env, connection, operations):
        """Documents Odoo did not send are not Odoo's, whatever happened to them."""
        return set(operations) - set(self._links(env, connection.realm_id, list(operations)))

    def apply(self, engine, env, job, obj):
        pulled = env["quickbooks.pull.object"].browse(job.res_id)
        link = self._links(env, engine.realm_id, [job.qbo_id]).get(job.qbo_id)
        move = env["account.move"].browse(link.res_id).exists() if link else env["account.move"]
        if not move:
            pulled.status = "ignored"
            return "done", env._("Not a document Odoo sent: nothing to do in Odoo."), ""
        if obj is not None:
            text, epoch = last_updated(obj)
            if pulled.last_updated_epoch and epoch and epoch < pulled.last_updated_epoch:
                return "done", env._("An older version than the one already looked at (%s): ignored.",
                                 pulled.last_updated), ""
            if pulled.status == "flagged" and move.quickbooks_remote_status and epoch == pulled.last_updated_epoch:
                return "done", env._("This version is already flagged on %s.", move.name), ""
        elif pulled.status == "flagged" and move.quickbooks_remote_status == "deleted":
            return "done", env._("Already flagged on %s as deleted in QuickBooks.", move.name), ""
        if obj is not None:
            pulled.write({"last_updated": text, "last_updated_epoch": epoch,
                          "sync_token": str(obj.get("SyncToken", "")), "qbo_name": obj.get("DocNumber") or False})
        pulled.write({"res_model": "account.move", "res_id": move.id})
        own_job = env["quickbooks.sync.job"].search_count([
            ("res_model", "=", "account.move"), ("res_id", "=", move.id), ("direction", "=", "outgoing"),
            ("state", "in", ("pending", "running"))])

        if obj is None or is_voided(obj):
            status = "deleted" if obj is None else "voided"
            if move.state == "cancel" or own_job:
                pulled.status = "applied"
                return "done", env._("%(move)s is cancelled or being sent by Odoo: %(status)s in QuickBooks agrees "
                                 "with Odoo or is Odoo's own.", move=move.name, status=status), ""
            word = env._("deleted") if status == "deleted" else env._("voided")
            message = env._("%(move)s was %(word)s in QuickBooks (%(entity)s %(id)s). Odoo's entries were not "
                            "changed: it is still posted in Odoo.", move=move.name, word=word, entity=self.entity,
                            id=job.qbo_id)
            hint = env._("If QuickBooks is right, cancel %(move)s in Odoo or add a credit note. If Odoo is right, "
                         "enter it again in QuickBooks (reset it to draft and post it again to send it).",
                         move=move.name)
            details = [{"field": "Status", "odoo": move.state, "quickbooks": word}]
            self._flag(env, job, move, status, message, hint, details)
            pulled.status = "flagged"
            engine.stats["flagged"] += 1
            return "conflict", message, hint, details

        if move.state != "posted" or own_job:
            pulled.status = "applied"
            return "done", env._("%s is being changed in Odoo: Odoo sends its version, and its sync checks what "
                                 "QuickBooks changed meanwhile.", move.name), ""
        sent = _sent_payload(link)
        rows = [] if _same_at_a_glance(move, obj, sent) else differences(move, obj, sent)
        if rows:
            message = env._("%(move)s was edited in QuickBooks: its amounts differ from Odoo's (%(fields)s).",
                            move=move.name, fields=", ".join(row["field"] for row in rows))
            hint = env._("Decide which is right: undo the edit in QuickBooks, or correct %s in Odoo (a credit note, "
                         "or reset to draft, change and post: Odoo then sends its version).", move.name)
            self._flag(env, job, move, "edited", message, hint, rows)
            pulled.status = "flagged"
            engine.stats["flagged"] += 1
            return "conflict", message, hint, rows
        pulled.status = "applied"
        if move.quickbooks_remote_status:
            self._clear(env, move)
            return "done", env._("%s: QuickBooks agrees with Odoo's books again; the flag is cleared.", move.name), ""
        return "done", env._("%s: QuickBooks' amounts equal Odoo's books, nothing to do.", move.name), ""

    @staticmethod
    def _flag(env, job, move, status, message, hint, rows):
        """Show it on the document: its QuickBooks status, the chatter and (once per status) an
        activity for a QuickBooks manager."""
        again = move.quickbooks_remote_status == status
        move.flush_recordset()
        env.cr.execute("UPDATE account_move SET quickbooks_remote_status = %s, quickbooks_state = 'conflict',"
                       " quickbooks_error = %s WHERE id = %s", (status, f"{message} {hint}", move.id))
        move.invalidate_recordset(["quickbooks_remote_status", "quickbooks_state", "quickbooks_error"])
        if again:
            return
        table = Markup("").join(
            Markup("<li>{}: Odoo {}, QuickBooks {}</li>").format(row["field"], row["odoo"], row["quickbooks"])
            for row in rows)
        body = Markup("<p>{}</p><ul>{}</ul><p>{}</p>").format(message, table, hint)
        move.with_context(quickbooks_pull=True).message_post(body=body, subtype_xmlid="mail.mt_note")
        manager = job._manager_to_notify()
        if manager:
            move.with_context(quickbooks_pull=True).activity_schedule(
                "mail.mail_activity_data_todo", summary=status_labels(env)[status],
                note=escape(f"{message} {hint}"), user_id=manager.id)

    @staticmethod
    def _clear(env, move):
        move.flush_recordset()
        env.cr.execute("UPDATE account_move SET quickbooks_remote_status = NULL, quickbooks_state = 'synced',"
                       " quickbooks_error = NULL WHERE id = %s", (move.id,))
        move.invalidate_recordset(["quickbooks_remote_status", "quickbooks_state", "quickbooks_error"])
        summaries = list(status_labels(env).values())
        move.activity_ids.filtered(lambda activity: activity.summary in summaries).action_feedback(
            feedback=env._("QuickBooks agrees with Odoo again."))


@register
class InvoiceHandler(DocumentHandler):
    entity = "Invoice"


@register
class CreditMemoHandler(DocumentHandler):
    entity = "CreditMemo"
