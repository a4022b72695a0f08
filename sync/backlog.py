"""What "Sync everything now" sends: per kind of record, which records of a company are
candidates, which of them QuickBooks already has (linked), which wait in the queue already,
which cannot be sent and why, and the one SQL statement that queues the rest.

Each kind is a :class:`Kind`: its candidates as a SQL query over the company's records (the
date filter applies to documents), the QuickBooks entity per record, and the reasons a record
cannot be sent, each a SQL condition.  A new document type (vendor bills, expenses...) is a new
``Kind`` in :data:`KINDS`: the wizard, the counts and the queueing are the same for all.

Everything is counted and queued in SQL, a bounded number of statements per kind whatever the
number of records: 20,000 invoices are queued in one ``INSERT ... SELECT`` (see
``make bench``: ``sync_all_queue_20k_sql``).
"""

from dataclasses import dataclass, field

from odoo.tools import SQL


@dataclass
class Blocker:
    """A reason a candidate cannot be sent, as a SQL condition on the candidate row ``c``."""

    code: str
    label: str  # what is wrong, for people
    hint: str  # what to do
    condition: SQL


@dataclass
class Kind:
    code: str
    label: str
    model: str
    priority: int
    # SQL selecting ``id``, ``name`` and ``entity`` of the candidates (alias ``c`` is used on it),
    # given %(company)s, %(date_from)s, %(realm)s.
    candidates: callable
    blockers: list = field(default_factory=list)
    dated: bool = False  # the date filter applies
    # Records in the date range that are not candidates at all but that a person would
    # expect to see (drafts): SQL over the same model, for "cannot be sent".
    excluded: callable = None
    excluded_label: str = ""
    excluded_hint: str = ""


def _customers(company, date_from, realm):
    # The company's own customers, and shared ones it has invoiced: a shared partner of another
    # company of the database is not this company's customer.
    return SQL(
        """SELECT p.id, p.name AS name, 'Customer' AS entity FROM res_partner p
            WHERE p.active AND p.customer_rank > 0 AND p.id = p.commercial_partner_id
              AND (p.company_id = %(company)s OR (p.company_id IS NULL AND EXISTS (
                   SELECT 1 FROM account_move m WHERE m.commercial_partner_id = p.id AND m.company_id = %(company)s
                      AND m.move_type IN ('out_invoice', 'out_refund'))))""",
        company=company,
    )


def _vendors(company, date_from, realm):
    return SQL(
        """SELECT p.id, p.name AS name, 'Vendor' AS entity FROM res_partner p
            WHERE p.active AND p.supplier_rank > 0 AND p.id = p.commercial_partner_id
              AND (p.company_id = %(company)s OR (p.company_id IS NULL AND EXISTS (
                   SELECT 1 FROM account_move m WHERE m.commercial_partner_id = p.id AND m.company_id = %(company)s
                      AND m.move_type IN ('in_invoice', 'in_refund'))))""",
        company=company,
    )


def _items(company, date_from, realm):
    return SQL(
        """SELECT pp.id, COALESCE(pt.name->>'en_US', pt.name->>(SELECT MIN(k) FROM jsonb_object_keys(pt.name) k))
                  AS name, 'Item' AS entity
             FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
            WHERE pp.active AND pt.active AND pt.sale_ok
              AND (pt.company_id = %(company)s OR pt.company_id IS NULL)""",
        company=company,
    )


def _invoices(company, date_from, realm):
    return SQL(
        """SELECT m.id, m.name AS name,
                  CASE m.move_type WHEN 'out_invoice' THEN 'Invoice' ELSE 'CreditMemo' END AS entity
             FROM account_move m
            WHERE m.company_id = %(company)s AND m.move_type IN ('out_invoice', 'out_refund')
              AND m.state = 'posted' AND m.invoice_date >= %(date_from)s""",
        company=company, date_from=date_from,
    )


def _draft_invoices(company, date_from, realm):
    return SQL(
        """SELECT m.id FROM account_move m
            WHERE m.company_id = %(company)s AND m.move_type IN ('out_invoice', 'out_refund')
              AND m.state = 'draft' AND COALESCE(m.invoice_date, m.date) >= %(date_from)s""",
        company=company, date_from=date_from,
    )


def _payments(company, date_from, realm):
    return SQL(
        """SELECT ap.id, COALESCE(ap.name, '') AS name, 'Payment' AS entity FROM account_payment ap
            WHERE ap.company_id = %(company)s AND ap.payment_type = 'inbound' AND ap.partner_type = 'customer'
              AND ap.state IN ('in_process', 'paid') AND ap.date >= %(date_from)s""",
        company=company, date_from=date_from,
    )


def _draft_payments(company, date_from, realm):
    return SQL(
        """SELECT ap.id FROM account_payment ap
            WHERE ap.company_id = %(company)s AND ap.payment_type = 'inbound' AND ap.partner_type = 'customer'
              AND ap.state = 'draft' AND ap.date >= %(date_from)s""",
        company=company, date_from=date_from,
    )


def unmapped_tax_blocker(mapped_tax_ids):
    """An invoice with a sales tax that has no QuickBooks tax code cannot be sent."""
    return Blocker(
        "unmapped_tax", "a sales tax without a QuickBooks tax code",
        "Link the tax under QuickBooks > Configuration > Reference Data (Tax Codes).",
        SQL("""EXISTS (SELECT 1 FROM account_move_line l
                         JOIN account_move_line_account_tax_rel rel ON rel.account_move_line_id = l.id
                        WHERE l.move_id = c.id AND l.display_type = 'product'
                          AND NOT (rel.account_tax_id = ANY(%s)))""", list(mapped_tax_ids)),
    )


def kinds(mapped_tax_ids):
    """The kinds, in the order they are sent (what documents refer to goes first)."""
    return [
        Kind("customers", "Customers", "res.partner", 10, _customers),
        Kind("vendors", "Vendors", "res.partner", 10, _vendors),
        Kind("items", "Products", "product.product", 10, _items),
        Kind("invoices", "Customer invoices and credit notes", "account.move", 20, _invoices,
             blockers=[unmapped_tax_blocker(mapped_tax_ids)], dated=True,
             excluded=_draft_invoices, excluded_label="not posted",
             excluded_hint="QuickBooks has no drafts: confirm them first."),
        Kind("payments", "Customer payments", "account.payment", 30, _payments, dated=True,
             excluded=_draft_payments, excluded_label="not confirmed",
             excluded_hint="Confirm the payments first."),
    ]


def _linked(realm, model):
    return SQL("""EXISTS (SELECT 1 FROM quickbooks_binding b WHERE b.realm_id = %s AND b.res_model = %s
                           AND b.res_id = c.id AND b.qbo_entity = c.entity)""", realm, model)


def _queued(connection_id, model):
    return SQL("""EXISTS (SELECT 1 FROM quickbooks_sync_job j WHERE j.connection_id = %s AND j.res_model = %s
                           AND j.res_id = c.id AND j.qbo_entity = c.entity AND j.operation = 'push'
                           AND j.state IN ('pending', 'running'))""", connection_id, model)


def count(cr, kind, connection, date_from):
    """``{"candidates", "linked", "queued", "blocked": {code: (count, ids)}, "to_send"}`` in a few
    statements, whatever the number of records."""
    realm, company = connection.realm_id, connection.company_id.id
    base = kind.candidates(company, date_from, realm)
    linked, queued = _linked(realm, kind.model), _queued(connection.id, kind.model)
    cr.execute(SQL("SELECT count(*), count(*) FILTER (WHERE %s), count(*) FILTER (WHERE NOT %s AND %s)"
                   " FROM (%s) c", linked, linked, queued, base))
    candidates, n_linked, n_queued = cr.fetchone()
    blocked = {}
    open_rows = SQL("NOT %s AND NOT %s", linked, queued)
    for blocker in kind.blockers:
        cr.execute(SQL("SELECT c.id FROM (%s) c WHERE %s AND %s", base, open_rows, blocker.condition))
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            blocked[blocker.code] = (blocker, ids)
    if kind.excluded:
        cr.execute(kind.excluded(company, date_from, realm))
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            blocked["excluded"] = (Blocker("excluded", kind.excluded_label, kind.excluded_hint, SQL("TRUE")), ids)
    blocked_candidates = len({i for code, (_b, ids) in blocked.items() if code != "excluded" for i in ids})
    return {
        "candidates": candidates, "linked": n_linked, "queued": n_queued, "blocked": blocked,
        "to_send": candidates - n_linked - n_queued - blocked_candidates,
    }


def queue(cr, kind, connection, date_from, run_id, user_id):
    """Queue every candidate of ``kind`` that QuickBooks does not have, is not queued and can be
    sent: one statement.  Returns how many jobs were queued."""
    realm, company = connection.realm_id, connection.company_id.id
    base = kind.candidates(company, date_from, realm)
    conditions = [SQL("NOT %s", _linked(realm, kind.model))]
    conditions += [SQL("NOT %s", blocker.condition) for blocker in kind.blockers]
    cr.execute(SQL(
        """INSERT INTO quickbooks_sync_job (connection_id, company_id, realm_id, res_model, res_id, record_name,
                operation, qbo_entity, state, priority, attempts, max_attempts, next_attempt_at, request_id,
                user_id, create_uid, create_date, write_uid, write_date, interactive, run_id)
           SELECT %(connection)s, %(company)s, %(realm)s, %(model)s, c.id, LEFT(COALESCE(c.name, ''), 200),
                  'push', c.entity, 'pending', %(priority)s, 0, 6, now() AT TIME ZONE 'UTC',
                  md5(random()::text || clock_timestamp()::text || c.id::text),
                  %(user)s, %(user)s, now() AT TIME ZONE 'UTC', %(user)s, now() AT TIME ZONE 'UTC', FALSE, %(run)s
             FROM (%(base)s) c
            WHERE %(conditions)s
           ON CONFLICT (connection_id, res_model, res_id, operation, qbo_entity) WHERE state = 'pending' DO NOTHING""",
        connection=connection.id, company=company, realm=realm, model=kind.model, priority=kind.priority,
        user=user_id, run=run_id, base=base, conditions=SQL(" AND ").join(conditions),
    ))
    return cr.rowcount
