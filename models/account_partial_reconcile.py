from odoo import api, fields, models


class AccountPartialReconcile(models.Model):
    """Reconciling and unreconciling is how Odoo applies payments and credit notes: QuickBooks
    follows each change (payments and credit applications it already holds are updated)."""

    _inherit = "account.partial.reconcile"

    quickbooks_pulled = fields.Boolean(
        "Applied in QuickBooks", readonly=True, copy=False,
        help="A credit applied in QuickBooks and brought into Odoo: never sent back as Odoo's own application.")

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        (partials.debit_move_id.move_id | partials.credit_move_id.move_id)._quickbooks_follow_reconciliation()
        return partials

    def unlink(self):
        moves = self.debit_move_id.move_id | self.credit_move_id.move_id
        result = super().unlink()
        moves.exists()._quickbooks_follow_reconciliation()
        return result
