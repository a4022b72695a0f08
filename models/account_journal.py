from odoo import api, fields, models

from .quickbooks_reference import kind_domain

COMPANY_DOMAIN = "('company_id', '=', company_id)"
JOURNAL_REFERENCE_KINDS = {
    "quickbooks_payment_method_ref_id": "payment_method",
    "quickbooks_deposit_account_ref_id": "deposit_account",
}


class AccountJournal(models.Model):
    _inherit = "account.journal"

    quickbooks_payment_method_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Payment Method", check_company=True,
        domain=kind_domain("payment_method", COMPANY_DOMAIN),
        help="PaymentMethodRef of the payments of this journal pushed to QuickBooks.",
    )
    quickbooks_deposit_account_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Deposit Account", check_company=True,
        domain=kind_domain("deposit_account", COMPANY_DOMAIN),
        help="DepositToAccountRef of the customer payments of this journal (a bank or other current asset account "
             "in QuickBooks); empty means Undeposited Funds, as in QuickBooks. Vendor payments, refunds and "
             "purchase receipts are paid from it; empty, from the QuickBooks account the journal's own account is "
             "mapped to (a credit card account there: a card payment).",
    )

    @api.constrains(*JOURNAL_REFERENCE_KINDS)
    def _check_quickbooks_references(self):
        self.env["quickbooks.reference"]._check_kinds(self, JOURNAL_REFERENCE_KINDS)
