from odoo import fields, models

# Odoo account types that purchases post to (what a vendor bill line or an expense lands on).
EXPENSE_TYPES = ("expense", "expense_direct_cost", "expense_depreciation", "asset_current", "asset_fixed",
                 "asset_non_current", "asset_prepayments")


class AccountAccount(models.Model):
    _inherit = "account.account"

    quickbooks_account_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Account", company_dependent=True,
        domain="[('qbo_entity', '=', 'Account'), ('company_id', '=', current_company_id), ('active', '=', True)]",
        help="The QuickBooks account the purchase lines posted to this account go to (vendor bills, vendor "
             "credits, expenses). Filled from QuickBooks' chart when the number or the name matches exactly.",
    )

    def _quickbooks_account_ref(self, connection):
        """The active QuickBooks account reference this account maps to for ``connection``'s
        company: the account's own mapping, else the reference linked to it (Sync reference
        data's match).  None when neither."""
        self.ensure_one()
        company = connection.company_id
        reference = self.sudo().with_company(company).quickbooks_account_ref_id
        if reference and reference.active and reference.realm_id == connection.realm_id:
            return reference
        return self.env["quickbooks.reference"].sudo().search([
            ("connection_id", "=", connection.id), ("realm_id", "=", connection.realm_id),
            ("qbo_entity", "=", "Account"), ("account_id", "=", self.id), ("active", "=", True),
        ], limit=1) or None

    def _quickbooks_fill_account_mapping(self, connection):
        """Map the accounts of ``self`` that have no QuickBooks account yet to the one active
        QuickBooks account with the same number (AcctNum = code), else the same name; an
        account matching several is left for the user.  Returns the accounts mapped."""
        company = connection.company_id
        references = self.env["quickbooks.reference"].sudo().search([
            ("connection_id", "=", connection.id), ("realm_id", "=", connection.realm_id),
            ("qbo_entity", "=", "Account"), ("active", "=", True),
        ])
        by_number, by_name, linked = {}, {}, {}
        for reference in references:
            if reference.acct_num:
                by_number.setdefault(reference.acct_num.strip().lower(), []).append(reference)
            by_name.setdefault((reference.name or "").strip().lower(), []).append(reference)
            if reference.account_id:
                linked.setdefault(reference.account_id.id, []).append(reference)
        mapped = self.browse()
        for account in self.sudo().with_company(company):
            if account.quickbooks_account_ref_id:
                continue
            for candidates in (linked.get(account.id), by_number.get((account.code or "").strip().lower()),
                               by_name.get((account.name or "").strip().lower())):
                if candidates and len(candidates) == 1:
                    account.quickbooks_account_ref_id = candidates[0]
                    mapped |= account
                    break
        return mapped

    def _quickbooks_account_mapping_action(self):
        """QuickBooks > Configuration > Expense Accounts: fill what matches exactly, then list
        the company's purchase accounts with their QuickBooks account (missing ones first)."""
        company = self.env.company
        connection = company._quickbooks_connection()
        connection.check_access("read")
        accounts = self.search([*self._check_company_domain(company), ("account_type", "in", EXPENSE_TYPES)])
        if connection.sudo().realm_id:
            accounts._quickbooks_fill_account_mapping(connection.sudo())
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_expense_accounts")
        action["domain"] = [("id", "in", accounts.ids)]
        return action
