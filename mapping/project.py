"""QuickBooks customers, sub-customers and projects -> Odoo projects, the hierarchy kept.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
(``Job`` and ``ParentRef``: a sub-customer; ``IsProject``: a QuickBooks Project, a customer
object under its customer; up to four levels under the top-level customer.)

As time trackers' QuickBooks integrations document it (Clockify: customers become clients,
sub-customers projects):

| QuickBooks | Odoo |
|---|---|
| Customer (top level) | a customer (partner) |
| Sub-customer 1 (parent: Customer) | a project of the partner *Customer*; and, being a parent, a partner too |
| Sub-customer 2 (parent: Sub-customer 1) | a project of the partner *Sub-customer 1*; a partner too |
| Sub-customer 3 (parent: Sub-customer 2), no children | a project of the partner *Sub-customer 2* |
| Project (``IsProject``) | a project of its customer's partner |

A project's time goes to *its own* QuickBooks customer object (the sub-customer or project):
the project is linked to it.  Names are compared exactly (QuickBooks' DisplayName, Odoo's name).
"""

from collections import namedtuple

from .customer import parent_id_of

# ``qbo`` the QuickBooks customer object; ``parent`` its parent's (or None).
Node = namedtuple("Node", "qbo parent is_partner is_project")


def hierarchy(customers):
    """``{qbo id: Node}`` of QuickBooks customers: which become partners (top-level customers
    and every parent), which projects (every sub-customer and QuickBooks project)."""
    by_id = {str(customer["Id"]): customer for customer in customers}
    parents = {parent_id_of(customer) for customer in customers} - {None}
    nodes = {}
    for qbo_id, customer in by_id.items():
        parent_id = parent_id_of(customer)
        parent = by_id.get(parent_id) if parent_id else None
        nodes[qbo_id] = Node(customer, parent, is_partner=parent is None or qbo_id in parents,
                             is_project=parent is not None)
    return nodes


def project_rows(customers):
    """``[(project name, partner's QuickBooks customer, the project's QuickBooks customer)]``:
    the Odoo projects the QuickBooks hierarchy maps to, parents first."""
    nodes = hierarchy(customers)
    rows = [(node.qbo["DisplayName"], node.parent, node.qbo) for node in nodes.values() if node.is_project]
    return sorted(rows, key=lambda row: (int(row[2].get("Level") or 0), row[2].get("FullyQualifiedName") or row[0]))
