from odoo import api, fields, models
from odoo.exceptions import UserError

SALES_ENTITY = {"out_invoice": "Invoice", "out_refund": "CreditMemo"}
# Vendor documents (mapping/bill.py); QuickBooks cannot void them, only delete them.
PURCHASE_ENTITY = {"in_invoice": "Bill", "in_refund": "VendorCredit", "in_receipt": "Purchase"}
QBO_ENTITY = {**SALES_ENTITY, **PURCHASE_ENTITY}
APP_PATH = {"Invoice": "invoice", "CreditMemo": "creditmemo", "Bill": "bill", "VendorCredit": "vendorcredit",
            "Purchase": "expense"}


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "quickbooks.sync.document.mixin"]
    _quickbooks_auto_push_option = "auto_push_invoices"

    quickbooks_doc_number = fields.Char("QuickBooks Number", copy=False, readonly=True, index="btree_not_null")
    quickbooks_is_syncable = fields.Boolean(compute="_compute_quickbooks_is_syncable")

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

    def action_quickbooks_sync(self):
        self._quickbooks_check_user()
        not_sendable = self.filtered(lambda move: move.move_type not in QBO_ENTITY or move.state != "posted")
        if not_sendable:
            raise UserError(self.env._(
                "Only posted invoices, credit notes, vendor bills, refunds and receipts are sent to QuickBooks: %s.",
                ", ".join(not_sendable.mapped("display_name")[:10]),
            ))
        return super().action_quickbooks_sync()

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
            payments = synced._get_reconciled_payments().filtered(
                lambda pay: pay.quickbooks_state in ("not_synced", "error") and (
                    (pay.partner_type == "customer" and pay.payment_type == "inbound")
                    or (pay.partner_type == "supplier" and pay.payment_type == "outbound"))
            )
            if payments:
                payments._quickbooks_enqueue()

    # -- automatic sync ------------------------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        to_send = posted.filtered(lambda move: move.move_type in SALES_ENTITY)
        if to_send:
            to_send._quickbooks_auto_push()
        bills = posted.filtered(lambda move: move.move_type in PURCHASE_ENTITY)
        if bills:
            bills.with_context(quickbooks_auto_push_option="auto_push_bills")._quickbooks_auto_push()
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
