"""Credit memos applied in QuickBooks, brought back into Odoo: the Odoo credit note is
reconciled with the invoice, as *Add* on the invoice's outstanding credits does.

QuickBooks applies a credit in a Payment: one of no money (``TotalAmt`` 0, *Receive payment*
with only credits ticked) that links a CreditMemo and the Invoices it settles, or a payment
that brings money and credits together.  Its lines say how much each invoice receives and how
much of each credit memo is used, not which credit went to which invoice: credits are given to
the invoices in the payment's order, the money takes the rest (the single-invoice case, by far
the common one, is exact).

* Applied: the credit note's receivable item is reconciled with the invoice's for QuickBooks'
  amount (Odoo's reconciliation when it settles all that is open on one side, else a partial
  reconciliation of exactly that amount); the reconciliations made are remembered on the
  pulled object and flagged ``quickbooks_pulled``, so that Odoo never sends them back as a
  credit application of its own (mapping/credit_application.py leaves them out).
* Voided or deleted in QuickBooks: those reconciliations are removed, the credit note and the
  invoice are open again.  Changed: removed, then made again as QuickBooks has them.
* Odoo's own applications (its marker ``[odoo:account.move:N][applied]`` in the private note,
  or their link) are recognised by the payment's handler and never applied twice.
"""

from .common import MappingError
from .inbound_payment import applications, credit_applications

CENT = 0.005


def credits(obj):
    return credit_applications(obj)


def money(obj):
    """What the payment brings in money, applied to the invoices: what the invoices receive
    less what the credit memos give (0: a credit application)."""
    return round(sum(amount for _txn, amount in applications(obj)) - sum(amount for _txn, amount in credits(obj)), 2)


def pairs(obj):
    """``[(credit memo qbo_id, invoice qbo_id, amount)]``: credits given to the invoices in
    the payment's order."""
    remaining = dict(applications(obj))
    order = [txn for txn, _amount in applications(obj)]
    result = []
    for credit_id, amount in credits(obj):
        left = amount
        for invoice_id in order:
            take = round(min(left, remaining[invoice_id]), 2)
            if take > 0:
                result.append((credit_id, invoice_id, take))
                remaining[invoice_id] = round(remaining[invoice_id] - take, 2)
                left = round(left - take, 2)
        if left > CENT:
            raise MappingError(
                f"QuickBooks applies {amount:.2f} of credit memo {credit_id}, more than the invoices of the payment "
                f"receive ({sum(dict(applications(obj)).values()):.2f}).",
                "Correct the payment in QuickBooks, then Retry this entry.")
    return result


def _receivable(move):
    return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable"
                                  and not line.reconciled)


def reconcile(credit_note, invoice, amount):
    """Reconcile ``amount`` (the documents' currency) of ``credit_note`` with ``invoice``;
    returns the partial reconciliations made."""
    env = invoice.env
    currency = invoice.currency_id
    if credit_note.currency_id != currency:
        raise MappingError(
            env._("QuickBooks applies %(credit)s (%(cc)s) to %(invoice)s (%(ic)s): not the same currency.",
                  credit=credit_note.name, cc=credit_note.currency_id.name, invoice=invoice.name, ic=currency.name),
            env._("Apply the credit note by hand in Odoo."))
    if credit_note.state != "posted" or invoice.state != "posted":
        raise MappingError(
            env._("QuickBooks applies %(credit)s to %(invoice)s, but one of them is not posted in Odoo.",
                  credit=credit_note.name, invoice=invoice.name),
            env._("Post both in Odoo, then Retry this entry."))
    credit_line, invoice_line = _receivable(credit_note), _receivable(invoice)
    credit_open = -sum(credit_line.mapped("amount_residual_currency"))
    invoice_open = sum(invoice_line.mapped("amount_residual_currency"))
    most = min(credit_open, invoice_open)
    if not credit_line or not invoice_line or amount > most + CENT:
        raise MappingError(
            env._("QuickBooks applies %(amount).2f of %(credit)s to %(invoice)s; Odoo has %(credit_open).2f of the "
                  "credit note and %(invoice_open).2f of the invoice open.", amount=amount, credit=credit_note.name,
                  invoice=invoice.name, credit_open=max(credit_open, 0.0), invoice_open=max(invoice_open, 0.0)),
            env._("Check what is already applied to them in Odoo (payments, other credit notes), then Retry."))
    lines = (credit_line | invoice_line).with_context(quickbooks_pull=True, quickbooks_import=True)
    before = lines.matched_debit_ids | lines.matched_credit_ids
    if currency.compare_amounts(amount, most) == 0:
        lines.reconcile()
    elif currency == invoice.company_currency_id and len(credit_line) == 1 and len(invoice_line) == 1:
        env["account.partial.reconcile"].with_context(quickbooks_pull=True).create({
            "debit_move_id": invoice_line.id, "credit_move_id": credit_line.id, "amount": amount,
            "debit_amount_currency": amount, "credit_amount_currency": amount,
        })
    else:
        raise MappingError(
            env._("QuickBooks applies %(amount).2f of %(credit)s to %(invoice)s, part of what is open in a foreign "
                  "currency: Odoo does not apply such a part by itself.", amount=amount, credit=credit_note.name,
                  invoice=invoice.name),
            env._("Apply the credit note by hand in Odoo (Add on the invoice's outstanding credits)."))
    lines.invalidate_recordset()
    return (lines.matched_debit_ids | lines.matched_credit_ids) - before


def apply(env, obj, invoice_links, credit_links):
    """Reconcile in Odoo what the payment applies of credit memos; the partial reconciliations
    made (flagged as QuickBooks')."""
    partials = env["account.partial.reconcile"]
    moves = env["account.move"]
    for credit_id, invoice_id, amount in pairs(obj):
        credit_note = moves.browse(credit_links[credit_id].res_id).exists()
        invoice = moves.browse(invoice_links[invoice_id].res_id).exists()
        if not credit_note or not invoice:
            raise MappingError(env._("The Odoo credit note or invoice of QuickBooks credit memo %s is gone.",
                                     credit_id))
        partials |= reconcile(credit_note, invoice, amount)
    if partials:
        partials.write({"quickbooks_pulled": True})
    return partials


def unapply(pulled, reason):
    """Remove the reconciliations the payment made (voided, deleted or changed in QuickBooks);
    the names of the credit notes and invoices open again."""
    env = pulled.env
    partials = env["account.partial.reconcile"].browse(pulled.applied_partial_ids or []).exists()
    if not partials:
        return []
    moves = partials.debit_move_id.move_id | partials.credit_move_id.move_id
    partials.with_context(quickbooks_pull=True).unlink()
    pulled.applied_partial_ids = False
    for move in moves.filtered(lambda m: m.move_type == "out_refund"):
        move.with_context(quickbooks_pull=True).message_post(
            body=env._("No longer applied in QuickBooks: %s", reason))
    return moves.mapped("name")
