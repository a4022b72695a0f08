from odoo import fields, models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    quickbooks_payment_method_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Payment Method", check_company=True,
        domain="[('qbo_entity', '=', 'PaymentMethod'), ('company_id', '=', company_id)]",
        help="PaymentMethodRef of the payments of this journal pushed to QuickBooks.",
    )
    quickbooks_deposit_account_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Deposit Account", check_company=True,
        domain="[('qbo_entity', '=', 'Account'), ('company_id', '=', company_id)]",
        help="DepositToAccountRef of the customer payments of this journal; empty means Undeposited Funds, "
             "as in QuickBooks. Vendor payments and purchase receipts are paid from it (a bank account: a check, "
             "a credit card account: a card payment); empty, from the account the journal's own account maps to.",
    )
