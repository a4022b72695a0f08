from odoo import api, fields, models
from odoo.exceptions import UserError

from ..mapping.adapter import application_adapter

SALES_ENTITY = {"out_invoice": "Invoice", "out_refund": "CreditMemo"}
# Vendor documents (mapping/bill.py); QuickBooks cannot void them, only delete them.
PURCHASE_ENTITY = {"in_invoice": "Bill", "in_refund": "VendorCredit", "in_receipt": "Purchase"}
QBO_ENTITY = {**SALES_ENTITY, **PURCHASE_ENTITY}
APP_PATH = {"Invoice": "invoice", "CreditMemo": "creditmemo", "Bill": "bill", "VendorCredit": "vendorcredit",
            "Purchase": "expense"}


def _applies(move):
    """A credit document (credit note, vendor refund) whose application QuickBooks holds apart."""
    return bool(application_adapter(move))


def has_applications(move):
    adapter = application_adapter(move)
    return bool(adapter and adapter.has_applications(move))


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "quickbooks.sync.document.mixin"]
    _quickbooks_auto_push_option = "auto_push_invoices"

    quickbooks_doc_number = fields.Char("QuickBooks Number", copy=False, readonly=True, index="btree_not_null")
    quickbooks_is_syncable = fields.Boolean(compute="_compute_quickbooks_is_syncable")
    quickbooks_remote_status = fields.Selection(
        [("voided", "Voided in QuickBooks"), ("deleted", "Deleted in QuickBooks"),
         ("edited", "Amounts edited in QuickBooks")],
        "In QuickBooks", copy=False, readonly=True,
        help="A change made in QuickBooks to the document Odoo sent, which Odoo did not apply to its own entries: "
             "see the activity and the Sync Log entry.")

    def _quickbooks_app_page(self):
        return APP_PATH.get(QBO_ENTITY.get(self.move_type))

    @api.depends("move_type")
    def _compute_quickbooks_url(self):
        return super()._compute_quickbooks_url()

    @api.depends("move_type")
    def _compute_quickbooks_is_syncable(self):
        for move in self:
            move.quickbooks_is_syncable = move.move_type in QBO_ENTITY

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        jobs = self.env["quickbooks.sync.job"]
        for entity in {QBO_ENTITY.get(move.move_type) for move in self} - {None}:
            moves = self.filtered(lambda move, entity=entity: QBO_ENTITY.get(move.move_type) == entity)
            jobs |= super(AccountMove, moves)._quickbooks_enqueue(operation, qbo_entity=entity, qbo_ids=qbo_ids)
        return jobs

    def _quickbooks_check_sendable(self):
        self._quickbooks_check_user()
        not_sendable = self.filtered(lambda move: move.move_type not in QBO_ENTITY or move.state != "posted")
        if not_sendable:
            raise UserError(self.env._(
                "Only posted invoices, credit notes, vendor bills, refunds and receipts are sent to QuickBooks: %s.",
                ", ".join(not_sendable.mapped("display_name")[:10]),
            ))

    def _quickbooks_mark_many(self, rows):
        moves = self.browse([record.id for record, *_rest in rows])
        first_time = moves.filtered(lambda move: move.quickbooks_state != "synced" and not move.quickbooks_synced_at)
        moves._quickbooks_store_states(rows, with_number=True)
        synced = moves.browse([record.id for record, state, *_rest in rows if state == "synced"])
        first_time &= synced
        if first_time:
            first_time._message_log_batch(
                bodies={move.id: self.env._("Sent to QuickBooks as %(entity)s %(number)s.",
                                            entity=QBO_ENTITY.get(move.move_type), number=move.quickbooks_doc_number)
                        for move in first_time},
            )
        if synced:
            # A payment already registered on the invoice follows it.
            payments = synced._get_reconciled_payments()._quickbooks_sent_kinds().filtered(
                lambda pay: pay.quickbooks_state in ("not_synced", "error")
            )
            if payments:
                payments._quickbooks_enqueue()
            # And so does a credit note or vendor refund applied to it (or the documents it is applied to).
            credit_notes = synced.filtered(_applies)
            credit_notes |= synced._quickbooks_reconciled_moves().filtered(
                lambda move: _applies(move) and move.quickbooks_id
            )
            credit_notes.filtered(has_applications)._quickbooks_enqueue_application()

    # -- applications: payments and credit notes follow Odoo's reconciliation ---------------------

    def _quickbooks_reconciled_moves(self):
        """The journal entries reconciled with these ones' receivable and payable items."""
        lines = self.line_ids.filtered(
            lambda line: line.account_id.account_type in ("asset_receivable", "liability_payable"))
        return (lines.matched_debit_ids.debit_move_id | lines.matched_credit_ids.credit_move_id).move_id - self

    def _quickbooks_follow_reconciliation(self):
        """The reconciliation of these entries changed (a payment registered or unreconciled, a
        credit note applied, an invoice reset): what QuickBooks already holds follows.  Records
        QuickBooks does not hold yet are sent with their own sync, which reads the reconciliation
        then."""
        if self.env.context.get("quickbooks_pull"):
            return  # QuickBooks' own change, registered in Odoo (sync/pull.py): nothing to send back
        moves = self.exists().sudo()
        # Linked ones first: deciding what a payment is sent as reads its bills (every
        # reconciliation in Odoo comes through here).
        payments = moves.origin_payment_id.filtered(
            lambda pay: pay.quickbooks_id and pay.state in ("in_process", "paid")
        )._quickbooks_sent_kinds()
        if payments:
            payments._quickbooks_enqueue()
            payments._quickbooks_mark("queued")
        credit_notes = moves.filtered(lambda move: _applies(move) and move.state == "posted" and move.quickbooks_id)
        if credit_notes:
            credit_notes._quickbooks_enqueue_application()
        # A purchase receipt (an employee's expense) is sent once paid: paid now, it follows.
        receipts = moves.filtered(lambda move: move.move_type == "in_receipt" and move.state == "posted")
        if receipts:
            linked = receipts.filtered(lambda move: move.quickbooks_id or move.quickbooks_state == "error")
            if linked:
                linked._quickbooks_enqueue()
                linked._quickbooks_mark("queued")
            waiting = receipts - linked
            if waiting:
                waiting.with_context(quickbooks_auto_push_option="auto_push_bills")._quickbooks_auto_push()

    def _quickbooks_enqueue_application(self):
        """Queue the object that applies each credit note (a Payment) or vendor refund (a
        BillPayment) in QuickBooks: an update while it is applied to something, a deletion once
        it is applied to nothing."""
        jobs = self.env["quickbooks.sync.job"].sudo()
        for move, connection in self._quickbooks_connection().items():
            if not connection.realm_id or not connection.sync_enabled:
                continue
            adapter = application_adapter(move)
            if not adapter:
                continue
            entity = adapter.entities[0]
            pending = jobs.search([("res_model", "=", self._name), ("res_id", "=", move.id),
                                   ("qbo_entity", "=", entity), ("state", "=", "pending")])
            if adapter.has_applications(move):
                pending.filtered(lambda job: job.operation == "delete").write({"state": "cancelled"})
                jobs._enqueue(connection, move, qbo_entity=entity)
                continue
            link = self.env["quickbooks.binding"].sudo()._lookup(connection, self._name, move.ids,
                                                                 entity).get(move.id)
            pending.filtered(lambda job: job.operation == "push").write({"state": "cancelled"})
            if link and not pending.filtered(lambda job: job.operation == "delete"):
                jobs._enqueue_deletion(connection, self._name, move.id, entity, link.qbo_id,
                                       move.display_name)

    def action_quickbooks_sync(self):
        self._quickbooks_check_sendable()
        result = super().action_quickbooks_sync()
        self.filtered(has_applications).with_context(
            quickbooks_interactive=True)._quickbooks_enqueue_application()
        return result

    # -- automatic sync ------------------------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        queued = self.browse()
        to_send = posted.filtered(lambda move: move.move_type in SALES_ENTITY)
        if to_send:
            queued |= to_send._quickbooks_auto_push()
        bills = posted.filtered(lambda move: move.move_type in PURCHASE_ENTITY)
        if bills:
            queued |= bills.with_context(quickbooks_auto_push_option="auto_push_bills")._quickbooks_auto_push()
        # Reset to draft, changed and posted again: what QuickBooks holds must follow.
        again = posted.filtered(lambda move: move.move_type in QBO_ENTITY and move.quickbooks_id) - queued
        if again:
            again._quickbooks_enqueue()
            again._quickbooks_mark("queued")
        return posted

    def _quickbooks_auto_push(self):
        queued = super()._quickbooks_auto_push()
        queued._quickbooks_mark("queued")
        return queued

    def button_cancel(self):
        synced = self.filtered(lambda move: move.quickbooks_id and move.move_type in SALES_ENTITY)
        # QuickBooks voids no bill, vendor credit or expense: a cancelled one is deleted there.
        purchases = self.filtered(lambda move: move.quickbooks_id and move.move_type in PURCHASE_ENTITY)
        to_delete = [(move.company_id, move.id, PURCHASE_ENTITY[move.move_type], move.quickbooks_id,
                      move.display_name) for move in purchases]
        result = super().button_cancel()
        if synced:
            synced._quickbooks_enqueue(operation="void")
        self._quickbooks_enqueue_deletions(to_delete)
        return result

    def _quickbooks_enqueue_deletions(self, to_delete):
        for company, move_id, entity, qbo_id, name in to_delete:
            connection = company._quickbooks_connection().sudo()
            if connection.realm_id:
                self.env["quickbooks.sync.job"].sudo()._enqueue_deletion(
                    connection, "account.move", move_id, entity, qbo_id, name,
                )

    def unlink(self):
        # A draft that was sent (then reset to draft) and is now deleted: delete it in QuickBooks.
        synced = self.filtered(lambda move: move.quickbooks_id and move.move_type in QBO_ENTITY)
        to_delete = [(move.company_id, move.id, QBO_ENTITY[move.move_type], move.quickbooks_id, move.display_name)
                     for move in synced]
        result = super().unlink()
        self._quickbooks_enqueue_deletions(to_delete)
        return result
