"""account.analytic.line (a timesheet entry) -> TimeActivity.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/timeactivity

* The worker: the entry's employee, as an Employee (``NameOf`` Employee, ``EmployeeRef``) or,
  for contractors and freelancers, a Vendor (``NameOf`` Vendor, ``VendorRef``): mapping/employee.py.
* The customer: the project's customer (``CustomerRef``); a sub-customer when that customer is
  a contact of a company (mapping/customer.py sends contacts as sub-customers).
* The service item: the project's QuickBooks service item, else the company's default service
  item (Settings > QuickBooks > Sync defaults).
* The duration: ``Hours`` and ``Minutes``, the entry's time to the minute, rounded up to the
  company's step (none, 6, 15 or 30 minutes; Settings > QuickBooks).  More than 23 h 55 min is
  refused before any request (QuickBooks' time entry takes at most that).
* Refused before any request when a person or a project is not set up: the employee must be
  linked to its QuickBooks employee (or vendor), or its creation asked for by a QuickBooks
  manager (Time tracking set-up > *Create missing employees in QuickBooks*, or the employee's
  *Sync to QuickBooks*); time is never what creates a person in QuickBooks.  A billable entry's
  project must have a QuickBooks customer: its own (the set-up's *Create missing projects from
  QuickBooks*, or the project's QuickBooks tab) or its customer of the entry's company.
* Billable: the entry's *Billable in QuickBooks* (the project's default), ``BillableStatus``
  Billable with an ``HourlyRate`` (the employee's billable rate, else the project's, else the
  service item's price), or NotBillable.  A billable entry needs a project with a customer.
* The class: the QuickBooks class linked to the project's analytic account, if any.
* ``Description`` carries the entry's description and Odoo's marker (``[odoo:...]``): a
  TimeActivity has no private note, and the marker is how an entry whose answer was lost is
  found again rather than sent twice.
"""

import threading

from .adapter import Adapter, register
from .common import DESCRIPTION_MAX, ZERO, MappingError, decimal, money, odoo_marker, quote, round_to
from .employee import EMPLOYEE, VENDOR, entity_of

ENTITY = "TimeActivity"
# The mapping context of the batch this thread is sending (set by prepare): the check reads the
# links of the entry's worker, customer and item from it instead of querying them per entry.
_BATCH = threading.local()
MAX_MINUTES = 23 * 60 + 55
# Where a person or a project is set up for time (said in the refusals).
EMPLOYEE_STEP = ("Settings > QuickBooks > Timesheets > Time tracking set-up > Preview > "
                 "Create missing employees in QuickBooks")
PROJECT_STEP = ("the project's QuickBooks tab (Link to a QuickBooks customer, or Create in QuickBooks as a "
                "sub-customer), or Settings > QuickBooks > Timesheets > Time tracking set-up > Preview > "
                "Create missing projects from QuickBooks")
ROUNDING_STEPS = {"none": 1, "6": 6, "15": 15, "30": 30}


def connection_of(line):
    return line.company_id._quickbooks_connection().sudo()


def minutes_of(line, connection):
    """The entry's duration in whole minutes, rounded up to the company's step."""
    minutes = int(round_to(decimal(line.unit_amount) * 60, 1))
    step = ROUNDING_STEPS.get(connection.time_rounding or "none", 1)
    if step > 1 and minutes % step:
        minutes += step - minutes % step
    return minutes


def customer_of(line):
    return line.project_id.partner_id if line.project_id else line.env["res.partner"]


def own_customer_ref(line, connection):
    """The project's own QuickBooks customer (a sub-customer or Project the project was created
    from, mapping/project.py), or None: then the project's partner is the customer."""
    return line.project_id._quickbooks_customer_ref(connection.realm_id) if line.project_id else None


def rate_of(line):
    """The billable hourly rate: the employee's, else the project's, else the item's price."""
    employee = line.employee_id.sudo()
    for value in (employee.quickbooks_hourly_rate, line.project_id.quickbooks_hourly_rate,
                  line.project_id.quickbooks_item_id.lst_price if line.project_id.quickbooks_item_id else 0):
        if value:
            return decimal(value)
    return ZERO


def description(line):
    marker = odoo_marker(line)
    text = (line.name or "").strip()
    if text == "/":
        text = ""
    limit = DESCRIPTION_MAX - len(marker) - 1
    return f"{text[:limit]} {marker}".strip()


def figures(line, connection):
    """What QuickBooks must hold for the entry, or MappingError saying why it cannot be sent."""
    env = line.env
    if not line.employee_id:
        raise MappingError(env._("%s has no employee.", line.display_name),
                           env._("Only timesheet entries (with an employee) are sent to QuickBooks."))
    minutes = minutes_of(line, connection)
    if minutes <= 0:
        raise MappingError(env._("%s has no time.", line.display_name), env._("Enter the time spent."))
    if minutes > MAX_MINUTES:
        raise MappingError(
            env._("%(entry)s lasts %(hours)s h %(minutes)02d min: QuickBooks takes at most 23 h 55 min per entry.",
                  entry=line.display_name, hours=minutes // 60, minutes=minutes % 60),
            env._("Split the time over several entries (one per day)."),
        )
    closed = connection.book_close_date
    if closed and line.date and line.date <= closed:
        raise MappingError(
            env._("%(entry)s is dated %(date)s: QuickBooks' books are closed through %(close)s.",
                  entry=line.display_name, date=line.date, close=closed),
            env._("Date the entry after %(close)s, or have the books reopened in QuickBooks (then run Sync reference "
                  "data in Settings > QuickBooks) and send it again.", close=closed),
        )
    billable = bool(line.quickbooks_billable)
    own = own_customer_ref(line, connection)
    customer = customer_of(line) if own is None else line.env["res.partner"]
    if billable and not line.project_id:
        raise MappingError(env._("%s is billable but has no project.", line.display_name),
                           env._("Set the project on the entry, or make the entry not billable."))
    if customer and customer.company_id and customer.company_id != line.company_id:
        raise MappingError(
            env._("The customer %(customer)s of project %(project)s belongs to %(company)s, not to %(entry_company)s: "
                  "it cannot be the QuickBooks customer of %(entry)s. Link the project to a QuickBooks customer in "
                  "%(step)s.", customer=customer.display_name, project=line.project_id.display_name,
                  company=customer.company_id.name, entry_company=line.company_id.name, entry=line.display_name,
                  step=PROJECT_STEP),
            env._("Link the project to its QuickBooks customer, then send the entry again."),
        )
    if billable and not customer and own is None:
        raise MappingError(
            env._("%(entry)s is billable but project %(project)s is not linked to a QuickBooks customer and has no "
                  "customer. Set it up in %(step)s.", entry=line.display_name, project=line.project_id.display_name,
                  step=PROJECT_STEP),
            env._("Or set the project's customer, or make the entry not billable."),
        )
    rate = rate_of(line) if billable else None
    if billable and not rate:
        raise MappingError(
            env._("%s is billable but no hourly rate is known.", line.display_name),
            env._("Set a billable rate on the employee or on the project (QuickBooks tab), or a price on the "
                  "project's service item."),
        )
    return {"minutes": minutes, "billable": billable, "rate": rate, "customer": customer, "own": own}


def usable_workers(lines, ctx):
    """Ids of the employees of ``lines`` whose time QuickBooks can take: linked to their
    QuickBooks employee (or vendor), or whose creation there a QuickBooks manager asked for (a
    push job of the employee: the set-up's *Create missing employees in QuickBooks*).  Cached
    on the batch's context: one query per kind of worker and one for the jobs."""
    known = ctx.__dict__.setdefault("_time_workers", {})
    employees = lines.employee_id.sudo().filtered(lambda employee: employee.id not in known)
    if not employees:
        return {key for key, usable in known.items() if usable}
    usable = set()
    for entity in (EMPLOYEE, VENDOR):
        group = employees.filtered(lambda employee, entity=entity: entity_of(employee) == entity)
        if group:
            ctx.load_bindings(group, entity)
            usable |= {employee.id for employee in group if ctx.binding(employee, entity)}
    rest = [employee_id for employee_id in employees.ids if employee_id not in usable]
    if rest:
        ctx.env.cr.execute(
            "SELECT DISTINCT res_id FROM quickbooks_sync_job WHERE connection_id = %s AND realm_id = %s"
            " AND res_model = 'hr.employee' AND operation = 'push' AND state != 'cancelled' AND res_id IN %s",
            (ctx.connection.id, ctx.connection.realm_id, tuple(rest)),
        )
        usable |= {row[0] for row in ctx.env.cr.fetchall()}
    for employee_id in employees.ids:
        known[employee_id] = employee_id in usable
    return {key for key, value in known.items() if value}


def check_worker(line, ctx):
    """MappingError when the entry's employee is not set up in QuickBooks (see usable_workers)."""
    if not line.employee_id:
        return
    batch = line.browse(list(line._prefetch_ids))
    if line.employee_id.id in usable_workers(batch | line, ctx):
        return
    env = line.env
    kind = env._("vendor") if entity_of(line.employee_id) == VENDOR else env._("employee")
    raise MappingError(
        env._("%(entry)s: the employee %(employee)s is not linked to a QuickBooks %(kind)s. A QuickBooks manager "
              "links or creates it in %(step)s.", entry=line.display_name, employee=line.employee_id.sudo().name,
              kind=kind, step=EMPLOYEE_STEP),
        env._("Link or create the employee there, then send the entry again."),
    )


def refusal(line, ctx):
    """Why the entry cannot be sent (a MappingError), or None: what the queue refuses before any request."""
    try:
        figures(line, ctx.connection)
        check_worker(line, ctx)
    except MappingError as exc:
        return exc
    return None


def item_ref(line, ctx):
    product = line.project_id.quickbooks_item_id
    if product:
        return ctx.ref(product, "Item")
    return ctx.default("default_item_ref_id", "default service item")._as_ref()


def line_to_time_activity(line, ctx):
    facts = figures(line, ctx.connection)
    employee = line.employee_id
    worker = entity_of(employee)
    hours, minutes = divmod(facts["minutes"], 60)
    payload = {
        "TxnDate": line.date.isoformat(),
        "NameOf": worker,
        f"{worker}Ref": ctx.ref(employee, worker),
        "ItemRef": item_ref(line, ctx),
        "Hours": hours,
        "Minutes": minutes,
        "BillableStatus": "Billable" if facts["billable"] else "NotBillable",
        "Description": description(line),
    }
    if facts["own"]:
        payload["CustomerRef"] = facts["own"]
    elif facts["customer"]:
        payload["CustomerRef"] = ctx.ref(facts["customer"], "Customer")
    if facts["billable"]:
        payload["HourlyRate"] = money(facts["rate"])
    account = line.project_id.account_id
    klass = ctx.reference_for("Class", account) if account else None
    if klass:
        payload["ClassRef"] = klass._as_ref()
    return payload


def dependencies(line):
    deps = []
    if line.employee_id:
        deps.append((line.employee_id, entity_of(line.employee_id)))
    customer = customer_of(line)
    if customer and not own_customer_ref(line, connection_of(line)):
        deps.append((customer, "Customer"))
    if line.project_id.quickbooks_item_id:
        deps.append((line.project_id.quickbooks_item_id, "Item"))
    return deps


def lookup_query(payload):
    return f"select * from TimeActivity where TxnDate = {quote(payload['TxnDate'])} maxresults 1000"


def matches_lookup(line, found):
    return odoo_marker(line) in (found.get("Description") or "")


def _linked_ids(line, connection, facts):
    """QuickBooks ids of the entry's worker, customer and item, as committed now (the engine
    links what it creates in transactions of its own: sync/ledger.py)."""
    ctx = getattr(_BATCH, "ctx", None)
    if ctx is None or ctx.connection.id != connection.id or ctx.ledger is None:
        from ..sync.ledger import Ledger  # noqa: PLC0415 - the ledger imports the mappings' helpers

        ctx = None
        ledger = Ledger(connection)
    wanted = [("worker", line.employee_id.sudo(), entity_of(line.employee_id))]
    if facts["customer"]:
        wanted.append(("customer", facts["customer"], "Customer"))
    if line.project_id.quickbooks_item_id:
        wanted.append(("item", line.project_id.quickbooks_item_id, "Item"))
    ids = {}
    for key, record, entity in wanted:
        if ctx is not None:
            link = ctx.binding(record, entity)
        else:
            link = ledger.links(record._name, [record.id], entity).get(record.id)
        ids[key] = link.qbo_id if link else ""
    if facts["own"]:
        ids["customer"] = facts["own"]["value"]
    if "item" not in ids:
        ids["item"] = connection.default_item_ref_id.qbo_id or ""
    return ids


def _ref_value(stored, key):
    return str((stored.get(key) or {}).get("value") or "")


def check_time_activity(line, stored):
    """Compare what QuickBooks stored for the entry with Odoo: date, worker, customer, item,
    duration, billable status, rate and description.  None, or a message with both values."""
    connection = connection_of(line)
    try:
        facts = figures(line, connection)
    except MappingError as exc:
        return exc.message
    problems = []
    ids = _linked_ids(line, connection, facts)

    def differ(label, qbo, odoo):
        if qbo != odoo:
            problems.append(f"{label}: QuickBooks {qbo or '-'}, Odoo {odoo or '-'}")

    differ("date", str(stored.get("TxnDate") or "")[:10], line.date.isoformat())
    worker = entity_of(line.employee_id)
    differ("worker", f"{stored.get('NameOf')} {_ref_value(stored, f'{worker}Ref')}", f"{worker} {ids['worker']}")
    differ("customer", _ref_value(stored, "CustomerRef"), ids.get("customer", ""))
    differ("service item", _ref_value(stored, "ItemRef"), ids["item"])
    stored_minutes = int(decimal(stored.get("Hours"))) * 60 + int(decimal(stored.get("Minutes")))
    if stored_minutes != facts["minutes"]:
        problems.append(f"time: QuickBooks {stored_minutes // 60} h {stored_minutes % 60:02d} min, "
                        f"Odoo {facts['minutes'] // 60} h {facts['minutes'] % 60:02d} min")
    differ("billable", stored.get("BillableStatus"), "Billable" if facts["billable"] else "NotBillable")
    if facts["billable"]:
        qbo_rate = decimal(stored.get("HourlyRate"))
        odoo_rate = decimal(money(facts["rate"]))
        if qbo_rate != odoo_rate:
            problems.append(f"hourly rate: QuickBooks {qbo_rate:.2f}, Odoo {odoo_rate:.2f}")
    differ("description", stored.get("Description") or "", description(line))
    if not problems:
        return None
    return f"QuickBooks does not hold {line.display_name} as Odoo does ({'; '.join(problems)})."


@register
class TimeActivityAdapter(Adapter):
    model = "account.analytic.line"
    entities = (ENTITY,)

    def payload(self, record, ctx, suffix=""):
        return line_to_time_activity(record, ctx)

    def prepare(self, record, ctx):
        _BATCH.ctx = ctx
        # Refused with the reason before any request (not even for its employee or customer).
        figures(record, ctx.connection)
        check_worker(record, ctx)

    def dependencies(self, record):
        return dependencies(record)

    def lookup_query(self, record, payload):
        return lookup_query(payload)

    def matches_lookup(self, record, found):
        return matches_lookup(record, found)

    def check(self, record, stored):
        return check_time_activity(record, stored)
